import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { WriteKeyStore } from "../auth/write_key_store.ts";
import { loadIngestConfig } from "../config.ts";
import { RateLimiter } from "../limits/rate_limiter.ts";
import { createLogger } from "../observability/logger.ts";
import type { IngestDeps } from "../track/ingest_deps.ts";
import { MemoryPublisher } from "../track/testdata/memory_publisher.ts";
import { handleLegacyAnalytics } from "./handle_legacy_analytics.ts";

const KEY = newWriteKey();

function deps(env: Record<string, string> = { INGEST_LEGACY_SOURCE: "demo-site" }) {
  const config = loadIngestConfig({ INGEST_WRITE_KEYS: `keyed:${hashWriteKey(KEY)}`, ...env });
  const publisher = new MemoryPublisher();
  const d: IngestDeps = {
    publisher,
    keys: new WriteKeyStore(config.writeKeys),
    limiter: new RateLimiter({ defaultLimit: config.rateLimit, now: () => 0 }),
    config,
    log: createLogger({ write: () => {} }),
  };
  return { deps: d, publisher };
}

function post(body: unknown, init: { headers?: Record<string, string>; url?: string } = {}) {
  return new Request(init.url ?? "http://127.0.0.1:3001/analytics", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
      ...init.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const demoEvent = {
  event_type: "page_view",
  channel: "web",
  session_id: "sess-9",
  resource_id: "http://localhost:8080/index.html",
  timestamp: new Date().toISOString(),
  metadata: { referrer: "" },
  unknown_key: 42,
};

Deno.test("a seed event is stored for the legacy source and answered like the original", async () => {
  const { deps: d, publisher } = deps();
  const response = await handleLegacyAnalytics(post(demoEvent), d, { remoteAddress: "192.0.2.44" });
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "application/json; charset=utf-8");
  const body = await response.json();
  assertEquals(body.success, true);
  const stored = fromBinary(EventSchema, publisher.records[0].record.value);
  assertEquals(body.event_id, stored.eventId);
  assertEquals(stored.enrichment?.source, "demo-site");
  assertEquals(stored.enrichment?.ip, "192.0.2.0");
  assertEquals(stored.enrichment?.userAgent?.browserName, "Firefox");
  assertEquals(stored.properties, { referrer: "", unknown_key: 42 });
  assertEquals(publisher.records[0].record.key, "sess-9");
});

Deno.test("a missing field answers 400 naming it; nothing is published", async () => {
  const { deps: d, publisher } = deps();
  const response = await handleLegacyAnalytics(post({ ...demoEvent, session_id: null }), d);
  assertEquals(response.status, 400);
  assertEquals(await response.json(), {
    error: "Missing required field: session_id",
    field: "session_id",
  });
  assertEquals(publisher.records.length, 0);
});

Deno.test("schema violations answer 400 naming the JSON field", async () => {
  const { deps: d } = deps();
  const response = await handleLegacyAnalytics(post({ ...demoEvent, event_id: "abc" }), d);
  assertEquals(response.status, 400);
  const body = await response.json();
  assertEquals(body.field, "event_id");
  ok(body.error.startsWith("Invalid field event_id: "), body.error);
});

Deno.test("a JSON array is a batch answered per event", async () => {
  const { deps: d, publisher } = deps();
  const response = await handleLegacyAnalytics(
    post([demoEvent, { channel: "web" }, { ...demoEvent, channel: "kiosk" }]),
    d,
  );
  assertEquals(response.status, 200);
  const body = await response.json();
  assertEquals([body.success, body.accepted, body.rejected, body.not_stored], [false, 2, 1, 0]);
  assertEquals(body.results.map((r: { index: number; success: boolean }) => [r.index, r.success]), [
    [0, true],
    [1, false],
    [2, true],
  ]);
  assertEquals(body.results[1].error, "Missing required field: event_type");
  assertEquals(publisher.records.length, 2);
});

Deno.test("the log down answers 503; the rate limit 429 with Retry-After", async () => {
  const { deps: d, publisher } = deps({
    INGEST_LEGACY_SOURCE: "demo-site",
    INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "1",
    INGEST_RATE_LIMIT_BURST: "1",
  });
  publisher.down = true;
  const down = await handleLegacyAnalytics(post(demoEvent), d);
  assertEquals(down.status, 503);
  assertEquals(await down.json(), { error: "Event could not be stored; retry later" });
  publisher.down = false;
  const limited = await handleLegacyAnalytics(post(demoEvent), d);
  assertEquals(limited.status, 429);
  assertEquals(limited.headers.get("retry-after"), "1");
  ok((await limited.json()).error.startsWith("rate limit of 1 events/s"));
});

Deno.test("a write key, if sent, is honoured instead of the legacy source", async () => {
  const { deps: d, publisher } = deps();
  const viaHeader = await handleLegacyAnalytics(
    post(demoEvent, { headers: { authorization: `Bearer ${KEY}` } }),
    d,
  );
  assertEquals(viaHeader.status, 200);
  const viaQuery = await handleLegacyAnalytics(
    post(demoEvent, { url: `http://127.0.0.1:3001/analytics?write_key=${KEY}` }),
    d,
  );
  assertEquals(viaQuery.status, 200);
  assertEquals(
    publisher.records.map((r) => fromBinary(EventSchema, r.record.value).enrichment?.source),
    ["keyed", "keyed"],
  );
  const unknown = await handleLegacyAnalytics(
    post(demoEvent, { headers: { authorization: `Bearer ${newWriteKey()}` } }),
    d,
  );
  assertEquals([unknown.status, await unknown.json()], [401, { error: "unknown write key" }]);
});

Deno.test("without a legacy source the endpoint is off (404)", async () => {
  const { deps: d } = deps({});
  const response = await handleLegacyAnalytics(post(demoEvent), d);
  assertEquals(response.status, 404);
  await response.body?.cancel();
});

Deno.test("bad bodies: invalid JSON or UTF-8, absurd time, batch size, too large, wrong method", async () => {
  const { deps: d } = deps({
    INGEST_LEGACY_SOURCE: "demo-site",
    INGEST_MAX_BATCH_EVENTS: "2",
    INGEST_MAX_REQUEST_BYTES: "2048",
    INGEST_MAX_EVENT_BYTES: "1024",
  });
  const cases: [Request, number, RegExp][] = [
    [post("{not json"), 400, /Invalid JSON body/],
    [
      new Request("http://h/analytics", {
        method: "POST",
        // "s-\xC3(": a UTF-8 lead byte followed by a byte that cannot continue it.
        body: new Uint8Array([
          ...new TextEncoder().encode('{"session_id":"s-'),
          0xc3,
          0x28,
          0x22,
          0x7d,
        ]),
      }),
      400,
      /not valid UTF-8/,
    ],
    [post({ ...demoEvent, timestamp: 1e300 }), 400, /Invalid field timestamp/],
    [post([]), 400, /at least 1 event/],
    [post([demoEvent, demoEvent, demoEvent]), 400, /^events: at most 2 events per request/],
    [post({ ...demoEvent, pad: "x".repeat(3000) }), 413, /INGEST_MAX_REQUEST_BYTES/],
    [new Request("http://h/analytics", { method: "GET" }), 405, /POST/],
  ];
  for (const [request, status, pattern] of cases) {
    const response = await handleLegacyAnalytics(request, d);
    assertEquals(response.status, status, String(pattern));
    ok(pattern.test((await response.json()).error));
  }
});
