import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { type Event, EventSchema, IngestService, Outcome } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { openLocalLog } from "../stream/local/mod.ts";
import { EVENTS_TOPIC } from "../stream/topics.ts";
import { startIngestProcess } from "../testdata/ingest_process.ts";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { derivedAnonymousId } from "./anonymize_event.ts";

Deno.test("the ingest program drops GPC events and stores DNT events anonymised", async () => {
  const dir = await Deno.makeTempDir({ prefix: "consent-" });
  const key = newWriteKey();
  try {
    await using ingest = await startIngestProcess({
      INGEST_LOG_DIR: `${dir}/log`,
      INGEST_WRITE_KEYS: `site:${hashWriteKey(key)}`,
      INGEST_LEGACY_SOURCE: "legacy",
      INGEST_GPC_POLICY: "drop",
      INGEST_DNT_POLICY: "anonymize",
    });
    const client = createClient(
      IngestService,
      createConnectTransport({ baseUrl: ingest.httpUrl, httpVersion: "1.1" }),
    );
    const send = (events: Event[], headers: Record<string, string>) =>
      client.track({ events }, { headers: { authorization: `Bearer ${key}`, ...headers } });
    const plain = sampleWebEvent({ userId: "u-plain", sessionId: "s-plain" });
    const underDnt = sampleWebEvent({ userId: "u-dnt", deviceId: "d-1", sessionId: "s-dnt" });
    const underGpc = sampleWebEvent({ userId: "u-gpc", sessionId: "s-gpc" });
    const forwardedGpc = sampleWebEvent({
      userId: "u-gpc-2",
      client: { globalPrivacyControl: true },
    });

    assert.equal((await send([plain, forwardedGpc], {})).accepted, 2);
    assert.equal((await send([underDnt], { DNT: "1" })).accepted, 1);
    const dropped = await send([underGpc], { "Sec-GPC": "1", DNT: "1" });
    assert.deepEqual(dropped.results.map((r) => r.outcome), [Outcome.ACCEPTED]);
    assert.match(dropped.results[0].reason, /Global Privacy Control/);
    const legacy = await fetch(`${ingest.httpUrl}/analytics`, {
      method: "POST",
      headers: { "Sec-GPC": "1", "content-type": "application/json" },
      body: JSON.stringify({ event_type: "click", channel: "web", session_id: "s-legacy" }),
    });
    assert.equal(legacy.status, 200);
    assert.equal((await legacy.json()).success, true);

    const metrics = await (await fetch(`${ingest.httpUrl}/metrics`)).text();
    assert.match(
      metrics,
      /analytics_ingest_events_consent_total\{action="dropped",signal="gpc"\} 3/,
    );
    assert.match(
      metrics,
      /analytics_ingest_events_consent_total\{action="anonymised",signal="dnt"\} 1/,
    );
    assert.equal(await ingest.stop(), 0);

    const log = await openLocalLog({ dir: `${dir}/log` });
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "consent-test" });
    const records = await consumer.poll({ maxRecords: 100, maxWaitMs: 1000 });
    await log.close();
    const stored = new Map(records.map((r) => {
      const event = fromBinary(EventSchema, r.value);
      return [event.eventId, event];
    }));
    assert.deepEqual([...stored.keys()].sort(), [plain.eventId, underDnt.eventId].sort());
    assert.equal(stored.get(plain.eventId)?.userId, "u-plain");
    const anonymised = stored.get(underDnt.eventId)!;
    assert.deepEqual(
      [anonymised.userId, anonymised.deviceId, anonymised.enrichment?.ip],
      ["", "", ""],
    );
    assert.equal(anonymised.anonymousId, derivedAnonymousId("site", "s-dnt"));
    assert.equal(anonymised.enrichment?.anonymised, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
