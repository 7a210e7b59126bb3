// The ingest's per-event CPU without the network: a 100-event TrackRequest decoded from its
// bytes (the baseline: what Connect does before any of our code runs), then the same plus the
// batch pipeline (validate, consent, rate limit, enrich, encode) into a publisher that acks at
// once. Run: deno bench -A ingest/track/ingest_batch_bench.ts
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { TrackRequestSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import type { Publisher } from "../stream/publisher.ts";
import { createBatchIngester } from "./ingest_batch.ts";

const source = createEventSource({ seed: 3 });
const requests = Array.from(
  { length: 20 },
  () => toBinary(TrackRequestSchema, create(TrackRequestSchema, { events: source.batch(100) })),
);
const config = loadIngestConfig({ INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "1000000000" });
/** Acknowledges every record at once and keeps nothing. */
const discarding: Publisher = {
  publish: (_topic, records) =>
    Promise.resolve(
      records.map((_, i) => ({ ok: true, position: { partition: 0, offset: BigInt(i) } })),
    ),
  isReady: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};
const ingest = createBatchIngester({
  publisher: discarding,
  keys: undefined as never,
  limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
  config,
});
const sender = { keyHash: "bench", source: "bench", channels: "all" as const };
let next = 0;

Deno.bench({
  name: "decode a 100-event request",
  group: "batch",
  baseline: true,
  fn() {
    fromBinary(TrackRequestSchema, requests[next++ % requests.length]);
  },
});

Deno.bench({
  name: "decode + ingest pipeline (validate, enrich, encode)",
  group: "batch",
  async fn() {
    const request = fromBinary(TrackRequestSchema, requests[next++ % requests.length]);
    const result = await ingest({
      events: request.events,
      firstIndex: 0,
      sender,
      facts: { receivedAt: timestampNow(), remoteAddress: "203.0.113.9" },
    });
    if (result.accepted !== 100) throw new Error(`accepted ${result.accepted} of 100`);
  },
});
