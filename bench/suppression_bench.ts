/**
 * What the suppression list costs the ingest: the same batches through the ingest pipeline
 * (validate, rate limit, enrich, encode, publish to memory) without a list and with a list of
 * 100,000 suppressed ids, alternating rounds in one process; reports the ratio of the rates.
 *
 *   deno run -A bench/suppression_bench.ts [--events 50000] [--rounds 4]
 *
 * @module
 */
import { hashWriteKey, newWriteKey } from "../ingest/auth/key_hash.ts";
import { WriteKeyStore } from "../ingest/auth/write_key_store.ts";
import { loadIngestConfig } from "../ingest/config.ts";
import { receivedAtFrom } from "../ingest/enrich/event_time.ts";
import { RateLimiter } from "../ingest/limits/rate_limiter.ts";
import { openSuppressionList } from "../ingest/suppression/mod.ts";
import { createBatchIngester } from "../ingest/track/ingest_batch.ts";
import type { IngestDeps } from "../ingest/track/ingest_deps.ts";
import { MemoryPublisher } from "../ingest/track/testdata/memory_publisher.ts";
import { sampleWebEvent } from "../ingest/validate/testdata/sample_events.ts";

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
};
const EVENTS = arg("events", 50_000);
const ROUNDS = arg("rounds", 4);
const BATCH = 500;

const dir = await Deno.makeTempDir({ prefix: "suppression-bench-" });
const list = await openSuppressionList({ kind: "local", dir, topic: "bench" });
await list.add(
  Array.from({ length: 100_000 }, (_, i) => ({
    id: `deleted-${i}`,
    kind: "user" as const,
    deletionId: "bench",
    at: Date.now(),
  })),
);
const key = newWriteKey();
const config = loadIngestConfig({
  INGEST_WRITE_KEYS: `bench:${hashWriteKey(key)}`,
  INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "1000000000",
});
const sender = config.writeKeys[0];
const base: IngestDeps = {
  publisher: new MemoryPublisher(),
  keys: new WriteKeyStore(config.writeKeys),
  limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
  config,
};
const batches = Array.from(
  { length: Math.ceil(EVENTS / BATCH) },
  (_, b) =>
    Array.from(
      { length: BATCH },
      (_, i) => sampleWebEvent({ userId: `u-${b * BATCH + i}`, anonymousId: `a-${i}` }),
    ),
);

async function rate(deps: IngestDeps): Promise<number> {
  const ingest = createBatchIngester({ ...deps, publisher: new MemoryPublisher() });
  const start = performance.now();
  for (const events of batches) {
    await ingest({
      events: events.map((e) => ({ ...e })),
      firstIndex: 0,
      sender,
      facts: { receivedAt: receivedAtFrom(Date.now()), sentAt: undefined },
    });
  }
  return (batches.length * BATCH) / ((performance.now() - start) / 1000);
}

const without: number[] = [];
const withList: number[] = [];
await rate(base); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  without.push(await rate(base));
  withList.push(await rate({ ...base, suppression: { list } }));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({
  events: batches.length * BATCH,
  suppressed_ids: list.size,
  without_list_events_per_s: Math.round(median(without)),
  with_list_events_per_s: Math.round(median(withList)),
  ratio: Number((median(withList) / median(without)).toFixed(3)),
}));
await list.close();
await Deno.remove(dir, { recursive: true });
