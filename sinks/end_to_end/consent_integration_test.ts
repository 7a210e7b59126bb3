/**
 * Consent end to end in the embedded mode (`ingest/dev.ts`: ingest, hot sink on PGlite, lake
 * sink): with GPC set to drop and DNT to anonymize, the hot store ends up with the DNT event
 * anonymised, the plain event as sent, and no trace of the GPC event.
 */
import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IngestService, QueryService } from "@analytics/schema";
import { derivedAnonymousId } from "../../ingest/consent/mod.ts";
import { DEV_KEY_SOURCE } from "../../ingest/dev.ts";
import { startDevProcess } from "../../ingest/testdata/dev_process.ts";
import { sampleWebEvent } from "../../ingest/validate/testdata/sample_events.ts";

Deno.test("consent in the embedded pipeline: DNT stored anonymised, GPC never stored", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "e2e-consent-" });
  try {
    await using dev = await startDevProcess(dataDir, {
      INGEST_GPC_POLICY: "drop",
      INGEST_DNT_POLICY: "anonymize",
    });
    const transport = createConnectTransport({ baseUrl: dev.httpUrl, httpVersion: "1.1" });
    const ingest = createClient(IngestService, transport);
    const query = createClient(QueryService, transport);
    const headers = (extra: Record<string, string>) => ({
      headers: { authorization: `Bearer ${dev.key}`, ...extra },
    });
    const plain = sampleWebEvent({ userId: "u-plain", sessionId: "s-plain" });
    const dnt = sampleWebEvent({ userId: "u-dnt", deviceId: "d-dnt", sessionId: "s-dnt" });
    const gpc = sampleWebEvent({ userId: "u-gpc", sessionId: "s-gpc" });
    // The GPC event goes first: once the later ones are in the store, it would be too.
    assert.equal((await ingest.track({ events: [gpc] }, headers({ "Sec-GPC": "1" }))).accepted, 1);
    assert.equal((await ingest.track({ events: [dnt] }, headers({ DNT: "1" }))).accepted, 1);
    assert.equal((await ingest.track({ events: [plain] }, headers({}))).accepted, 1);

    const stored = async (eventId: string) => {
      try {
        return (await query.getEvent({ eventId })).event;
      } catch (error) {
        if (ConnectError.from(error).code === Code.NotFound) return undefined;
        throw error;
      }
    };
    let plainStored = await stored(plain.eventId);
    for (let i = 0; i < 60 && plainStored === undefined; i++) {
      await new Promise((r) => setTimeout(r, 500));
      plainStored = await stored(plain.eventId);
    }
    assert.equal(plainStored?.userId, "u-plain");
    assert.equal(plainStored?.enrichment?.anonymised, false);
    const dntStored = await stored(dnt.eventId);
    assert.ok(dntStored, "the DNT event is stored");
    assert.deepEqual([dntStored.userId, dntStored.deviceId], ["", ""]);
    assert.equal(dntStored.anonymousId, derivedAnonymousId(DEV_KEY_SOURCE, "s-dnt"));
    assert.equal(dntStored.enrichment?.anonymised, true);
    assert.equal(dntStored.enrichment?.ip ?? "", "");
    assert.equal(await stored(gpc.eventId), undefined, "the GPC event is not stored");
    assert.equal((await dev.stop()).code, 0);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
