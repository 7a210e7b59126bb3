import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { EventSchema, IngestService, Outcome } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { createLogger } from "../observability/logger.ts";
import { MetricsRegistry } from "../observability/metrics_registry.ts";
import { clientAddressKey } from "../server/client_address.ts";
import { createIngestMetrics } from "../track/ingest_metrics.ts";
import { createIngestService } from "../track/ingest_service.ts";
import { MemoryPublisher } from "../track/testdata/memory_publisher.ts";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { derivedAnonymousId } from "./anonymize_event.ts";

const KEY = newWriteKey();
const CONSENT = "analytics_ingest_events_consent_total";

function setup(env: Record<string, string> = {}) {
  const config = loadIngestConfig({ INGEST_WRITE_KEYS: `site:${hashWriteKey(KEY)}`, ...env });
  const publisher = new MemoryPublisher();
  const registry = new MetricsRegistry();
  const service = createIngestService({
    publisher,
    keys: new WriteKeyStore(config.writeKeys),
    limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
    config,
    log: createLogger({ write: () => {} }),
    metrics: createIngestMetrics(registry),
  });
  const transport = createRouterTransport(({ service: register }) => {
    register(IngestService, service);
  }, {
    router: {
      interceptors: [(next) => (req) => {
        req.contextValues.set(clientAddressKey, "203.0.113.9");
        return next(req);
      }],
    },
  });
  const client = createClient(IngestService, transport);
  const stored = () => publisher.records.map((r) => fromBinary(EventSchema, r.record.value));
  return { client, publisher, registry, stored };
}

const headers = (extra: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${KEY}`, ...extra },
});

Deno.test("by default Sec-GPC: 1 stores the events anonymised and counts them", async () => {
  const { client, registry, stored } = setup();
  const events = [sampleWebEvent({ userId: "u-1", deviceId: "d-1" }), sampleWebEvent()];
  const answer = await client.track({ events }, headers({ "Sec-GPC": "1" }));
  assertEquals(answer.accepted, 2);
  assertEquals(answer.results.map((r) => [r.outcome, r.reason]), [
    [Outcome.ACCEPTED, ""],
    [Outcome.ACCEPTED, ""],
  ]);
  const [first] = stored();
  assertEquals([first.userId, first.deviceId, first.enrichment?.ip], ["", "", ""]);
  assertEquals(first.anonymousId, derivedAnonymousId("site", "session-1"));
  assertEquals(first.enrichment?.anonymised, true);
  assertEquals(registry.value(CONSENT, { signal: "gpc", action: "anonymised" }), 2);
  assertEquals(registry.value("analytics_ingest_events_accepted_total", { channel: "web" }), 2);
});

Deno.test("without a signal nothing changes", async () => {
  const { client, registry, stored } = setup();
  await client.track({ events: [sampleWebEvent({ userId: "u-1" })] }, headers({ DNT: "0" }));
  assertEquals(stored()[0].userId, "u-1");
  assertEquals(stored()[0].enrichment?.anonymised, false);
  assertEquals(stored()[0].enrichment?.ip, "203.0.113.0");
  assertEquals(registry.series(CONSENT), []);
});

Deno.test("policy drop: ACCEPTED with a reason, never published, counted apart", async () => {
  const { client, publisher, registry } = setup({ INGEST_GPC_POLICY: "drop" });
  const events = [
    sampleWebEvent({ client: { globalPrivacyControl: true } }),
    sampleWebEvent({ userId: "u-2" }),
    sampleWebEvent({ sessionId: "" }),
  ];
  const answer = await client.track({ events }, headers());
  assertEquals([answer.accepted, answer.rejected, answer.notStored], [2, 1, 0]);
  assertEquals(answer.results[0].outcome, Outcome.ACCEPTED);
  match(answer.results[0].reason, /not stored: the Global Privacy Control signal/);
  assertEquals(publisher.records.length, 1);
  assertEquals(fromBinary(EventSchema, publisher.records[0].record.value).userId, "u-2");
  assertEquals(registry.value(CONSENT, { signal: "gpc", action: "dropped" }), 1);
  assertEquals(registry.value("analytics_ingest_events_accepted_total", { channel: "web" }), 1);
  // A call of dropped events only is a normal answer, not an error the client would retry.
  const all = await client.track({ events: [sampleWebEvent()] }, headers({ "Sec-GPC": "1" }));
  assertEquals([all.accepted, all.notStored], [1, 0]);
  assertEquals(publisher.records.length, 1);
});

Deno.test("policy ignore keeps the event as sent; the stricter of two signals wins", async () => {
  const ignoring = setup({ INGEST_DNT_POLICY: "ignore" });
  await ignoring.client.track(
    { events: [sampleWebEvent({ userId: "u-3" })] },
    headers({ DNT: "1" }),
  );
  assertEquals(ignoring.stored()[0].userId, "u-3");
  assertEquals(ignoring.registry.series(CONSENT), []);

  const strict = setup({ INGEST_GPC_POLICY: "anonymize", INGEST_DNT_POLICY: "drop" });
  const answer = await strict.client.track(
    { events: [sampleWebEvent({ client: { doNotTrack: true } })] },
    headers({ "Sec-GPC": "1" }),
  );
  match(answer.results[0].reason, /Do Not Track/);
  assertEquals(strict.publisher.records.length, 0);
  assertEquals(strict.registry.value(CONSENT, { signal: "dnt", action: "dropped" }), 1);
});

Deno.test("TrackStream applies the stream's headers to every message", async () => {
  const { client, stored } = setup();
  const answer = await client.trackStream(
    (async function* () {
      yield { events: [sampleWebEvent({ userId: "a" })] };
      yield { events: [sampleWebEvent({ userId: "b" })] };
    })(),
    headers({ "Sec-GPC": "1" }),
  );
  assertEquals(answer.accepted, 2);
  assertEquals(stored().map((e) => [e.userId, e.enrichment?.anonymised]), [["", true], ["", true]]);
});
