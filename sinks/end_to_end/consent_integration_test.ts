/**
 * Consent end to end in the embedded mode (`ingest/dev.ts`: ingest, hot sink on PGlite, lake
 * sink): with GPC set to drop and DNT to anonymize, the hot store ends up with the DNT event
 * anonymised, the plain event as sent, and no trace of the GPC event.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IngestService, QueryService } from "@analytics/schema";
import { derivedAnonymousId } from "../../ingest/consent/mod.ts";
import { DEV_KEY_SOURCE } from "../../ingest/dev.ts";
import { sampleWebEvent } from "../../ingest/validate/testdata/sample_events.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

Deno.test("consent in the embedded pipeline: DNT stored anonymised, GPC never stored", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "e2e-consent-" });
  const dev = await startDev(dataDir, {
    INGEST_GPC_POLICY: "drop",
    INGEST_DNT_POLICY: "anonymize",
  });
  try {
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
  } finally {
    dev.child.kill("SIGTERM");
    await dev.child.status;
    await dev.stderr;
    await dev.rest;
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** Starts dev.ts in the embedded mode on free ports with `env` and reads its banner. */
async function startDev(dataDir: string, env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "ingest/dev.ts"],
    cwd: REPO,
    env: {
      DEV_DATA_DIR: dataDir,
      INGEST_HTTP_PORT: "0",
      INGEST_GRPC_PORT: "0",
      NO_COLOR: "1",
      // The embedded mode, whatever services the test run exported.
      KAFKA_BROKERS: "",
      DATABASE_URL: "",
      S3_ENDPOINT: "",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  while (!/lake sink\s+.*\n/.test(banner)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`dev.ts ended before its banner:\n${banner}\n${await stderr}`);
    banner += value;
  }
  reader.releaseLock();
  const rest = child.stdout.cancel().catch(() => {});
  return {
    child,
    stderr,
    rest,
    key: banner.match(/write key\s+(wk_\S+)/)![1],
    httpUrl: banner.match(/ingest http\s+(\S+)/)![1],
  };
}
