/**
 * runLoad against the real ingest: the Track service with write keys, validation and
 * enrichment, its two cleartext listeners, and the embedded log (fsync on) in a temp folder.
 */
import assert from "node:assert/strict";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/key_hash.ts";
import { WriteKeyStore } from "../../ingest/auth/write_key_store.ts";
import { loadIngestConfig } from "../../ingest/config.ts";
import { RateLimiter } from "../../ingest/limits/rate_limiter.ts";
import { createLogger } from "../../ingest/observability/logger.ts";
import { startIngestServer } from "../../ingest/server/ingest_server.ts";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { createIngestService } from "../../ingest/track/mod.ts";
import { readLedger } from "./ledger.ts";
import { runLoad } from "./run_load.ts";

const KEY = newWriteKey();

async function startIngest() {
  const dir = await Deno.makeTempDir({ prefix: "loadgen-ingest-" });
  const config = loadIngestConfig({ INGEST_WRITE_KEYS: `loadgen:${hashWriteKey(KEY)}` });
  const log = await openLocalLog({ dir, log: () => {} });
  const publisher = await log.publisher();
  const quiet = createLogger({ write: () => {} });
  const server = await startIngestServer({
    ingestService: createIngestService({
      publisher,
      keys: new WriteKeyStore(config.writeKeys),
      limiter: new RateLimiter({ defaultLimit: { eventsPerSecond: 1e9, burst: 1e9 } }),
      config,
      log: quiet,
    }),
    httpPort: 0,
    grpcPort: 0,
    corsOrigins: [],
    maxRequestBytes: 4 * 1024 * 1024,
    isReady: () => Promise.resolve(true),
    logger: quiet,
  });
  return {
    grpcUrl: `http://127.0.0.1:${server.grpcPort}`,
    httpUrl: `http://127.0.0.1:${server.httpPort}`,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await log.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

for (
  const [protocol, httpVersion] of [["grpc", "2"], ["connect", "1.1"], ["grpc-web", "1.1"]] as const
) {
  Deno.test(`real ingest over ${protocol}: every generated event is accepted into the log`, async () => {
    await using ingest = await startIngest();
    const ledgerPath = await Deno.makeTempFile({ suffix: ".ledger" });
    try {
      const summary = await runLoad({
        protocol,
        httpVersion,
        url: protocol === "grpc" ? ingest.grpcUrl : ingest.httpUrl,
        events: 1_000,
        batch: 100,
        concurrency: 4,
        writeKey: KEY,
        ledgerPath,
      });
      assert.deepEqual(summary.errors, {});
      assert.deepEqual(summary.rejectedFields, {});
      assert.equal(summary.accepted, 1_000);
      assert.equal(new Set(await readLedger(ledgerPath)).size, 1_000);
    } finally {
      await Deno.remove(ledgerPath);
    }
  });
}

Deno.test("real ingest: TrackStream and an unknown write key", async () => {
  await using ingest = await startIngest();
  const streamed = await runLoad({
    url: ingest.grpcUrl,
    method: "stream",
    events: 600,
    batch: 50,
    concurrency: 2,
    writeKey: KEY,
  });
  assert.equal(streamed.accepted, 600);
  const refused = await runLoad({ url: ingest.grpcUrl, events: 200, writeKey: newWriteKey() });
  assert.deepEqual(refused.errors, { unauthenticated: 2 });
  assert.equal(refused.accepted, 0);
});
