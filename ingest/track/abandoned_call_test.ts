import { equal, match, rejects } from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import { IngestService, TrackRequestSchema, TrackStreamRequestSchema } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { createLogger } from "../observability/logger.ts";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { createIngestService } from "./ingest_service.ts";
import { MemoryPublisher } from "./testdata/memory_publisher.ts";

const KEY = newWriteKey();

function service() {
  const config = loadIngestConfig({ INGEST_WRITE_KEYS: `site:${hashWriteKey(KEY)}:web` });
  const publisher = new MemoryPublisher();
  const impl = createIngestService({
    publisher,
    keys: new WriteKeyStore(config.writeKeys),
    limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
    config,
    log: createLogger({ write: () => {} }),
  });
  return { impl, publisher };
}

function context(method: "track" | "trackStream", aborted: boolean) {
  const requestSignal = aborted ? AbortSignal.abort() : new AbortController().signal;
  return createHandlerContext({
    service: IngestService,
    method: IngestService.method[method],
    protocolName: "connect",
    requestMethod: "POST",
    url: `http://ingest/analytics.v1.IngestService/${method}`,
    requestHeader: { authorization: `Bearer ${KEY}` },
    requestSignal,
  });
}

Deno.test("a call that ended before its handler ran publishes nothing: deadline_exceeded", async () => {
  const { impl, publisher } = service();
  const request = create(TrackRequestSchema, { events: [sampleWebEvent(), sampleWebEvent()] });
  await rejects(async () => await impl.track(request, context("track", true)), (error: unknown) => {
    const e = ConnectError.from(error);
    equal(e.code, Code.DeadlineExceeded);
    match(e.rawMessage, /before its events were processed; none were stored/);
    return true;
  });
  async function* one() {
    yield create(TrackStreamRequestSchema, { events: [sampleWebEvent()] });
  }
  await rejects(
    async () => await impl.trackStream(one(), context("trackStream", true)),
    /none were stored/,
  );
  equal(publisher.records.length, 0);

  // The same call still open is taken.
  const answer = await impl.track(request, context("track", false));
  equal(answer.accepted, 2);
  equal(publisher.records.length, 2);
});
