import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { createLogger } from "../../../ingest/observability/logger.ts";
import { DeltaStore } from "../delta_store.ts";
import { ConcurrentModificationError } from "../log/commit.ts";
import { LocalObjectStore } from "../storage/local_object_store.ts";
import { deltaRsAvailable, readWithDeltaRs } from "../testkit/delta_reader.ts";
import { sampleBatch } from "../testkit/events.ts";
import { deleteIds, linkedAnonymousIds } from "./delete_ids.ts";
import { optimize } from "./optimize.ts";
import { scheduleVacuum } from "./vacuum_schedule.ts";

function requireDeltaRs(): boolean {
  if (deltaRsAvailable()) return true;
  if (Deno.env.get("CI") === "true") throw new Error("delta-rs venv missing");
  console.warn("SKIPPING: delta-rs venv missing (bash deploy/python/install.sh)");
  return false;
}

/** A local table of `batches` commits of 26 events (users u-0..u-12, anonymous ids a-<user>). */
async function table(dir: string, batches: number): Promise<Map<string, string>> {
  const store = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
  const userOf = new Map<string, string>();
  for (let i = 0; i < batches; i++) {
    const batch = sampleBatch(26, { firstOffset: BigInt(i * 26) });
    for (const { event } of batch.records) {
      event.anonymousId = `a-${event.userId}`;
      userOf.set(event.eventId, event.userId);
    }
    await store.write(batch);
  }
  await store.close();
  return userOf;
}

Deno.test("deleteIds: one DELETE commit rewrites the files holding the ids; delta-rs agrees; vacuum drops the old files", async () => {
  if (!requireDeltaRs()) return;
  const dir = await Deno.makeTempDir({ prefix: "delta-delete-" });
  const duck = await DuckDBInstance.create(":memory:");
  const connection = await duck.connect();
  try {
    const userOf = await table(dir, 3);
    const objects = new LocalObjectStore(dir);
    assert.deepEqual(await linkedAnonymousIds(objects, connection, "u-3"), ["a-u-3"]);
    const before = await readWithDeltaRs(dir, { ids: true });
    const gone = [...userOf].filter(([, user]) => user === "u-3" || user === "u-4")
      .map(([id]) => id);
    const result = await deleteIds(objects, connection, {
      userIds: ["u-3"],
      anonymousIds: ["a-u-4"],
    }, { deletionId: "d-1" });
    assert.equal(result.rowsDeleted, gone.length);
    assert.equal(result.version, before.version + 1);
    assert.equal(result.filesRewritten, before.files);
    const after = await readWithDeltaRs(dir, { ids: true, appIds: ["lake-0"] });
    assert.equal(after.row_count, before.row_count - gone.length);
    assert.deepEqual(
      new Set(after.event_ids),
      new Set(before.event_ids!.filter((id) => !gone.includes(id))),
    );
    // The rewrite keeps the sink's exactly-once marker and every other column.
    assert.equal(after.transaction_versions["lake-0"], 77);
    assert.deepEqual(after.columns, before.columns);
    assert.equal(after.history[0].operation, "DELETE");
    // Nothing left: a second run commits nothing.
    const again = await deleteIds(objects, connection, {
      userIds: ["u-3"],
      anonymousIds: ["a-u-4"],
    }, { deletionId: "d-2" });
    assert.deepEqual(again, {
      version: undefined,
      rowsDeleted: 0,
      filesRewritten: 0,
      filesScanned: again.filesScanned,
    });

    // The version before still has the rows, until vacuum deletes the removed files.
    assert.equal((await readWithDeltaRs(dir, { version: before.version })).row_count, 78);
    const logger = createLogger({ level: "error" });
    const schedule = scheduleVacuum(objects, { intervalMs: 3_600_000, retentionMs: 1 }, logger);
    await schedule?.stop();
    await assert.rejects(() => readWithDeltaRs(dir, { version: before.version }));
    assert.equal((await readWithDeltaRs(dir)).row_count, 78 - gone.length);
  } finally {
    connection.closeSync();
    duck.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deleteIds racing optimize: whichever commits first, the latest version lacks the ids and keeps every other row once", async () => {
  if (!requireDeltaRs()) return;
  for (let round = 0; round < 2; round++) {
    const dir = await Deno.makeTempDir({ prefix: "delta-delete-race-" });
    const duck = await DuckDBInstance.create(":memory:");
    const [a, b] = [await duck.connect(), await duck.connect()];
    try {
      const userOf = await table(dir, 4);
      const kept = [...userOf].filter(([, user]) => user !== "u-7").map(([id]) => id);
      const deleting = deleteIds(new LocalObjectStore(dir), a, {
        userIds: ["u-7"],
        anonymousIds: [],
      }, { deletionId: `race-${round}` });
      const optimizing = optimize(new LocalObjectStore(dir), b).catch((error) => {
        // Optimize loses when the deletion removed a file it compacts first: that is its rule.
        if (!(error instanceof ConcurrentModificationError)) throw error;
      });
      // Alternate which starts first.
      const [deleted] = round === 0
        ? await Promise.all([deleting, optimizing])
        : (await Promise.all([optimizing, deleting])).reverse() as [
          Awaited<typeof deleting>,
        ];
      assert.equal(deleted.rowsDeleted, userOf.size - kept.length);
      const view = await readWithDeltaRs(dir, { ids: true });
      assert.equal(view.row_count, kept.length);
      assert.deepEqual(new Set(view.event_ids), new Set(kept));
    } finally {
      a.closeSync();
      b.closeSync();
      duck.closeSync();
      await Deno.remove(dir, { recursive: true });
    }
  }
});
