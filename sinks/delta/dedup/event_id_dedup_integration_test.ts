/**
 * The same event at two offsets of the log (a client re-sent it after a lost acknowledgement) is
 * stored once, on local disk and on S3, also when two writers race with overlapping ids. delta-rs
 * is the reader.
 */
import assert from "node:assert/strict";
import type { DecodedRecord, SinkBatch } from "../../loop/sink_store.ts";
import { DeltaStore } from "../delta_store.ts";
import { LocalObjectStore } from "../storage/local_object_store.ts";
import type { ObjectInfo, ObjectStore } from "../storage/object_store.ts";
import { deltaRsAvailable, readWithDeltaRs } from "../testkit/delta_reader.ts";
import { sampleBatch } from "../testkit/events.ts";
import { s3Available, testS3, testS3Store } from "../testkit/s3_test_env.ts";

const s3 = testS3();

function requireDeltaRs(): boolean {
  if (deltaRsAvailable()) return true;
  if (Deno.env.get("CI") === "true") throw new Error("delta-rs venv missing");
  console.warn("SKIPPING: delta-rs venv missing (bash deploy/python/install.sh)");
  return false;
}

/** The records as read again from `partition` starting at `firstOffset` (same events). */
function atOffsets(records: DecodedRecord[], partition: number, firstOffset: bigint): SinkBatch {
  const moved = records.map((r, i) => ({
    event: r.event,
    record: { ...r.record, partition, offset: firstOffset + BigInt(i) },
  }));
  return {
    records: moved,
    lastOffsets: new Map([[partition, firstOffset + BigInt(records.length - 1)]]),
  };
}

const idsOf = (records: DecodedRecord[]) => records.map((r) => r.event.eventId);

/**
 * Batch 1 (offsets 0–59), then batch 2 at new offsets 60–: 25 events of batch 1 again, 30 new
 * ones, and one of the new ones twice. Every id is read once; the txn covers batch 2.
 */
async function writeOverlappingBatches(
  open: () => Promise<DeltaStore>,
): Promise<{ ids: string[]; dropped: number }> {
  const first = sampleBatch(60, { partition: 3, firstOffset: 0n, days: 2 });
  const fresh = sampleBatch(30, { partition: 3, startMs: Date.UTC(2026, 0, 10, 13), days: 2 });
  const again = [...first.records.filter((_, i) => i % 2 === 1).slice(0, 25), ...fresh.records];
  again.push(fresh.records[7]);
  const store = await open();
  await store.write(first);
  await store.close();
  // A new process (empty cache when the table is on S3) gets the re-sent copies.
  const second = await open();
  await second.write(atOffsets(again, 3, 60n));
  const dropped = second.duplicatesDropped;
  await second.close();
  return { ids: [...idsOf(first.records), ...idsOf(fresh.records)], dropped };
}

Deno.test("local table: an event_id at new offsets is written once", async () => {
  if (!requireDeltaRs()) return;
  const dir = await Deno.makeTempDir({ prefix: "delta-dedup-" });
  try {
    const open = () => DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
    const { ids, dropped } = await writeOverlappingBatches(open);
    assert.equal(dropped, 26);
    const view = await readWithDeltaRs(dir, { ids: true, appIds: ["lake-3"] });
    assert.equal(view.row_count, 90);
    assert.equal(view.distinct_event_ids, 90);
    assert.deepEqual([...view.event_ids!].sort(), [...ids].sort());
    assert.deepEqual(view.transaction_versions, { "lake-3": 115 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("S3 table: an event_id at new offsets is written once (downloaded, cached)", async () => {
  if (!requireDeltaRs() || !(await s3Available(s3))) return;
  const prefix = `test/${crypto.randomUUID()}`;
  const cacheDir = await Deno.makeTempDir({ prefix: "delta-dedup-cache-" });
  try {
    // A 1-byte bound: every copy is evicted once its request is done, so both paths run.
    const open = () =>
      DeltaStore.open({
        objects: testS3Store(s3, prefix),
        sinkName: "lake",
        cache: { dir: cacheDir, maxBytes: 1 },
      });
    const { ids, dropped } = await writeOverlappingBatches(open);
    assert.equal(dropped, 26);
    const view = await readWithDeltaRs(`s3://${s3.bucket}/${prefix}`, {
      ids: true,
      appIds: ["lake-3"],
      env: s3.env,
    });
    assert.equal(view.row_count, 90);
    assert.equal(view.distinct_event_ids, 90);
    assert.deepEqual([...view.event_ids!].sort(), [...ids].sort());
    assert.deepEqual(view.transaction_versions, { "lake-3": 115 });
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("two writers racing on S3 with the same events at different offsets: each id once", async () => {
  if (!requireDeltaRs() || !(await s3Available(s3))) return;
  const prefix = `test/${crypto.randomUUID()}`;
  const [a, b] = await Promise.all([
    DeltaStore.open({ objects: testS3Store(s3, prefix), sinkName: "lake" }),
    DeltaStore.open({ objects: testS3Store(s3, prefix), sinkName: "lake" }),
  ]);
  // a reads the events from partition 0; b got the same events re-sent into partition 1, in
  // batches shifted by half a batch, plus events of its own.
  const events = sampleBatch(240, { partition: 0, days: 2 }).records;
  const own = sampleBatch(60, { partition: 1, startMs: Date.UTC(2026, 0, 10, 14) }).records;
  const bRecords = [...events.slice(20), ...own];
  await Promise.all([
    (async () => {
      for (let i = 0; i < 6; i++) {
        await a.write(atOffsets(events.slice(i * 40, i * 40 + 40), 0, BigInt(i * 40)));
      }
    })(),
    (async () => {
      for (let i = 0; i < 7; i++) {
        await b.write(atOffsets(bRecords.slice(i * 40, i * 40 + 40), 1, BigInt(i * 40)));
      }
    })(),
  ]);
  const dropped = a.duplicatesDropped + b.duplicatesDropped;
  await Promise.all([a.close(), b.close()]);
  const ids = [...idsOf(events), ...idsOf(own)];
  const view = await readWithDeltaRs(`s3://${s3.bucket}/${prefix}`, {
    ids: true,
    appIds: ["lake-0", "lake-1"],
    env: s3.env,
  });
  assert.equal(view.row_count, ids.length);
  assert.equal(view.distinct_event_ids, ids.length);
  assert.deepEqual([...view.event_ids!].sort(), [...ids].sort());
  assert.deepEqual(view.transaction_versions, { "lake-0": 239, "lake-1": 279 });
  assert.equal(dropped, 220, "each of the 220 shared events was dropped by one of the writers");
});

/** A local store that runs `beforeCommit` once, just before the first commit create it sees. */
class StoreThatLetsAnotherWriterFirst implements ObjectStore {
  #fired = false;
  constructor(readonly inner: LocalObjectStore, readonly beforeCommit: () => Promise<void>) {}
  get location(): string {
    return this.inner.location;
  }
  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    if (!this.#fired && key.startsWith("_delta_log/") && key.endsWith(".json")) {
      this.#fired = true;
      await this.beforeCommit();
    }
    return await this.inner.putIfAbsent(key, body);
  }
  put(key: string, body: Uint8Array): Promise<void> {
    return this.inner.put(key, body);
  }
  putFile(key: string, localPath: string): Promise<void> {
    return this.inner.putFile(key, localPath);
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }
  list(prefix: string): Promise<ObjectInfo[]> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  url(key: string): string {
    return this.inner.url(key);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

Deno.test("a lost commit race re-runs the dedup against the winner's files", async () => {
  if (!requireDeltaRs()) return;
  const dir = await Deno.makeTempDir({ prefix: "delta-dedup-race-" });
  try {
    const events = sampleBatch(50, { partition: 0 }).records;
    const winner = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "a" });
    await winner.write(atOffsets(events.slice(0, 10), 0, 0n)); // version 1
    // The loser has checked its batch against version 1 when the winner commits version 2 with
    // 20 of the same events: its create of version 2 fails, and the retry must drop those 20.
    const loser = await DeltaStore.open({
      objects: new StoreThatLetsAnotherWriterFirst(
        new LocalObjectStore(dir),
        () => winner.write(atOffsets(events.slice(10, 30), 0, 10n)),
      ),
      sinkName: "b",
    });
    await loser.write(atOffsets(events.slice(5), 7, 100n));
    assert.equal(loser.version, 3);
    assert.equal(loser.duplicatesDropped, 25);
    await Promise.all([winner.close(), loser.close()]);
    const view = await readWithDeltaRs(dir, { ids: true, appIds: ["a-0", "b-7"] });
    assert.equal(view.version, 3);
    assert.equal(view.row_count, 50);
    assert.equal(view.distinct_event_ids, 50);
    assert.deepEqual([...view.event_ids!].sort(), idsOf(events).sort());
    assert.deepEqual(view.transaction_versions, { "a-0": 29, "b-7": 144 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after optimize, ids in the compacted files are still found", async () => {
  if (!requireDeltaRs()) return;
  const dir = await Deno.makeTempDir({ prefix: "delta-dedup-opt-" });
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const { optimize } = await import("../commands/optimize.ts");
  const duck = await DuckDBInstance.create(":memory:");
  const connection = await duck.connect();
  try {
    const events = sampleBatch(90, { partition: 0 }).records;
    const store = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
    for (let i = 0; i < 3; i++) {
      await store.write(atOffsets(events.slice(i * 30, i * 30 + 30), 0, BigInt(i * 30)));
    }
    const result = await optimize(new LocalObjectStore(dir), connection, {});
    assert.equal(result.filesRemoved, 6);
    await store.write(atOffsets(events.filter((_, i) => i % 3 === 0), 0, 90n));
    assert.equal(store.duplicatesDropped, 30);
    await store.close();
    const view = await readWithDeltaRs(dir, { ids: true });
    assert.equal(view.row_count, 90);
    assert.equal(view.distinct_event_ids, 90);
  } finally {
    connection.closeSync();
    duck.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
});
