/**
 * Publish throughput of the embedded log with its default fsync policy (fsync before the ack),
 * against the floor of the same bytes appended with `Deno.writeFile` and fsynced, in one run.
 * Each iteration publishes a batch of 100 records of 500 bytes; the concurrent cases run 16
 * such batches at once, where group commit shares one fsync per partition among them.
 */
import { openLocalLog } from "../ingest/stream/local/mod.ts";
import { encodeFrame } from "../ingest/stream/local/frame.ts";
import { EVENTS_TOPIC } from "../ingest/stream/topics.ts";

const RECORDS = 100;
const VALUE_BYTES = 500;
const CONCURRENT = 16;

const records = Array.from({ length: RECORDS }, (_, i) => ({
  key: `user-${i}`,
  value: crypto.getRandomValues(new Uint8Array(VALUE_BYTES)),
  headers: { schema: "analytics.v1.Event" },
}));
const batchBytes = new Uint8Array(
  records.flatMap((r, i) => [...encodeFrame({ ...r, offset: BigInt(i), timestamp: Date.now() })]),
);

const log = await openLocalLog({ dir: await Deno.makeTempDir({ prefix: "local-log-bench-" }) });
const publisher = await log.publisher();
const unsyncedLog = await openLocalLog({
  dir: await Deno.makeTempDir({ prefix: "local-log-bench-unsynced-" }),
  fsync: "never",
});
const unsyncedPublisher = await unsyncedLog.publisher();
const baselineFile = await Deno.makeTempFile({ prefix: "local-log-baseline-" });

/** The baseline: append the same bytes with Deno.writeFile, then fsync the file. */
async function appendAndFsync(): Promise<void> {
  await Deno.writeFile(baselineFile, batchBytes, { append: true });
  const file = await Deno.open(baselineFile, { write: true });
  await file.syncData();
  file.close();
}

async function publishBatch(): Promise<void> {
  const outcomes = await publisher.publish(EVENTS_TOPIC, records);
  if (!outcomes.every((o) => o.ok)) throw new Error("a publish failed");
}

Deno.bench(
  "writeFile append + fsync, 100 × 500 B",
  { group: "one batch", baseline: true },
  appendAndFsync,
);
Deno.bench("local log publish, 100 × 500 B", { group: "one batch" }, publishBatch);

Deno.bench(
  "local log publish, fsync never (CPU and write cost only)",
  { group: "one batch" },
  async () => {
    await unsyncedPublisher.publish(EVENTS_TOPIC, records);
  },
);

Deno.bench("16 × (writeFile append + fsync), one after another", {
  group: "16 concurrent batches",
  baseline: true,
}, async () => {
  for (let i = 0; i < CONCURRENT; i++) await appendAndFsync();
});
Deno.bench("16 concurrent local log publishes", { group: "16 concurrent batches" }, async () => {
  await Promise.all(Array.from({ length: CONCURRENT }, publishBatch));
});

globalThis.addEventListener("unload", () => {
  log.close();
  unsyncedLog.close();
  Deno.removeSync(log.options.dir, { recursive: true });
  Deno.removeSync(unsyncedLog.options.dir, { recursive: true });
  Deno.removeSync(baselineFile);
});
