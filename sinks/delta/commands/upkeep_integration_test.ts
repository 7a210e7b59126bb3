import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { EVENT_COLUMNS } from "../columns.ts";
import { DeltaStore } from "../delta_store.ts";
import { LocalObjectStore } from "../storage/local_object_store.ts";
import { deltaRsAvailable, readWithDeltaRs } from "../testkit/delta_reader.ts";
import { sampleBatch } from "../testkit/events.ts";
import { history } from "./history.ts";
import { optimize } from "./optimize.ts";
import { queryTable } from "./query.ts";
import { vacuum } from "./vacuum.ts";

function requireDeltaRs(): boolean {
  if (deltaRsAvailable()) return true;
  if (Deno.env.get("CI") === "true") throw new Error("delta-rs venv missing");
  console.warn("SKIPPING: delta-rs venv missing (bash deploy/python/install.sh)");
  return false;
}

async function withTable(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "delta-upkeep-" });
  try {
    await work(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("optimize and vacuum keep the same rows; SQL over any version", async () => {
  if (!requireDeltaRs()) return;
  await withTable(async (dir) => {
    const store = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const batch = sampleBatch(25, { partition: 0, firstOffset: BigInt(i * 25) });
      ids.push(...batch.records.map((r) => r.event.eventId));
      await store.write(batch);
    }
    await store.close();
    const before = await readWithDeltaRs(dir, { ids: true });
    assert.equal(before.files, 12);

    const duck = await DuckDBInstance.create(":memory:");
    const connection = await duck.connect();
    try {
      const result = await optimize(new LocalObjectStore(dir), connection);
      assert.deepEqual(result, { version: 7, filesRemoved: 12, filesAdded: 2 });
      const after = await readWithDeltaRs(dir, { ids: true, appIds: ["lake-0"] });
      assert.equal(after.files, 2);
      assert.deepEqual([...after.event_ids!].sort(), [...ids].sort());
      assert.deepEqual(after.transaction_versions, { "lake-0": 149 });

      // Time travel to before the compaction (its files are still there until vacuum).
      const v3 = await queryTable(
        new LocalObjectStore(dir),
        connection,
        "SELECT count(*)::INTEGER AS n FROM analytics_events",
        { version: 3 },
      );
      assert.deepEqual(v3, [{ n: 75 }]);
      // Within retention nothing goes; past it the 12 compacted files go, the rows stay.
      assert.deepEqual(await vacuum(new LocalObjectStore(dir)), []);
      const deleted = await vacuum(new LocalObjectStore(dir), { now: Date.now() + 8 * 86_400_000 });
      assert.equal(deleted.length, 12);
      const vacuumed = await readWithDeltaRs(dir, { ids: true });
      assert.deepEqual([...vacuumed.event_ids!].sort(), [...ids].sort());

      const entries = await history(new LocalObjectStore(dir));
      assert.deepEqual(entries.map((e) => e.operation).slice(0, 2), ["OPTIMIZE", "WRITE"]);
      assert.equal(entries.length, 8);

      const latest = await queryTable(
        new LocalObjectStore(dir),
        connection,
        "SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS d, " +
          "min(event_date)::VARCHAR AS first_day FROM analytics_events",
      );
      assert.deepEqual(latest, [{ n: 150, d: 150, first_day: "2026-01-10" }]);
    } finally {
      connection.closeSync();
      duck.closeSync();
    }
  });
});

Deno.test("optimize refuses when a concurrent commit removed the files it compacts", async () => {
  await withTable(async (dir) => {
    const store = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
    for (let i = 0; i < 2; i++) {
      await store.write(sampleBatch(10, { firstOffset: BigInt(i * 10), days: 1 }));
    }
    await store.close();
    const duck = await DuckDBInstance.create(":memory:");
    const connection = await duck.connect();
    try {
      const results = await Promise.allSettled([
        optimize(new LocalObjectStore(dir), connection),
        optimize(new LocalObjectStore(dir), connection),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.match(String((lost[0] as PromiseRejectedResult).reason), /concurrent commit/);
      const rows = await queryTable(
        new LocalObjectStore(dir),
        connection,
        "SELECT count(*)::INTEGER AS n FROM analytics_events",
      );
      assert.deepEqual(rows, [{ n: 20 }]);
    } finally {
      connection.closeSync();
      duck.closeSync();
    }
  });
});

Deno.test("schema evolution: a writer with a new optional column adds it by a metaData commit", async () => {
  if (!requireDeltaRs()) return;
  await withTable(async (dir) => {
    const older = EVENT_COLUMNS.filter((c) => c.name !== "tool_name" && c.name !== "outcome");
    const first = await DeltaStore.open({
      objects: new LocalObjectStore(dir),
      sinkName: "lake",
      columns: older,
    });
    await first.write(sampleBatch(10, { firstOffset: 0n }));
    await first.close();
    const before = await readWithDeltaRs(dir);
    assert.ok(!before.columns.includes("tool_name"));

    const second = await DeltaStore.open({ objects: new LocalObjectStore(dir), sinkName: "lake" });
    assert.equal(second.version, 2, "version 2 is the metaData commit");
    await second.write(sampleBatch(10, { firstOffset: 10n }));
    await second.close();
    const after = await readWithDeltaRs(dir, { ids: true });
    assert.ok(after.columns.includes("tool_name") && after.columns.includes("outcome"));
    assert.equal(after.row_count, 20);
    assert.equal(after.history[1].operation, "ADD COLUMNS");
  });
});
