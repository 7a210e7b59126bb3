/**
 * Measures the storage figures the capacity model uses, from realistic enriched events
 * (sinks/testing/sample_events.ts): the mean encoded event, its gzip ratio as one Kafka batch,
 * PostgreSQL bytes per row (every relation of a fresh schema after the hot sink's write: table,
 * indexes, TOAST, rollup) and Parquet bytes per row (the lake sink's data files).
 *
 * Usage: deno run -A bench/capacity/measure_storage.ts [--rows 20000]
 *   (PostgreSQL must be up: bash deploy/up.sh postgres; DATABASE_URL overrides the default)
 * Prints one JSON object; docs/capacity.md records the figures.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import type { SinkBatch } from "../../sinks/loop/sink_store.ts";
import { sampleEvents, toRecord } from "../../sinks/testing/sample_events.ts";
import { openHotStore } from "../../sinks/timescale/open_hot_store.ts";
import { TimescaleStore } from "../../sinks/timescale/timescale_store.ts";
import { DeltaStore } from "../../sinks/delta/delta_store.ts";
import { LocalObjectStore } from "../../sinks/delta/storage/local_object_store.ts";

/** The measured storage figures, per event. */
export interface StorageFigures {
  rows: number;
  encodedBytesPerEvent: number;
  gzipRatio: number;
  postgresBytesPerRow: number;
  parquetBytesPerRow: number;
}

/** Turns events into sink batches of `size` records on partition 0. */
function batches(rows: number, size: number): SinkBatch[] {
  const events = sampleEvents(rows, { seed: 11 });
  const result: SinkBatch[] = [];
  for (let first = 0; first < rows; first += size) {
    const slice = events.slice(first, first + size);
    result.push({
      records: slice.map((event, i) => {
        const record = toRecord(event);
        return {
          event,
          record: {
            topic: "analytics.events.v1",
            partition: 0,
            offset: BigInt(first + i),
            key: record.key,
            value: record.value,
            headers: record.headers,
            timestamp: Date.now(),
          },
        };
      }),
      lastOffsets: new Map([[0, BigInt(first + slice.length - 1)]]),
    });
  }
  return result;
}

/** Sum of the sizes of the files under `dir` whose name ends with `suffix`. */
async function bytesUnder(dir: string, suffix: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) total += await bytesUnder(path, suffix);
    else if (entry.name.endsWith(suffix)) total += (await Deno.stat(path)).size;
  }
  return total;
}

/** Loads `rows` sample events into a fresh PostgreSQL schema and a local Delta table. */
export async function measureStorage(rows: number, databaseUrl: string): Promise<StorageFigures> {
  const work = batches(rows, 5_000);
  const values = work.flatMap((b) => b.records.map((r) => r.record.value));
  const encoded = values.reduce((sum, v) => sum + v.length, 0);
  const joined = new Uint8Array(encoded);
  let at = 0;
  for (const v of values) {
    joined.set(v, at);
    at += v.length;
  }
  const gzipped = gzipSync(joined).length;

  const schema = `capacity_${Date.now()}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let postgresBytes = 0;
  try {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = `${databaseUrl}${databaseUrl.includes("?") ? "&" : "?"}search_path=${schema}`;
    const hot = await openHotStore({ kind: "postgres", url });
    const store = new TimescaleStore(hot.loader);
    for (const batch of work) await store.write(batch);
    await hot.close();
    await admin.unsafe(`VACUUM ANALYZE`);
    const [row] = await admin`
      SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'm')`;
    postgresBytes = Number(row.bytes);
  } finally {
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }

  const dir = await Deno.makeTempDir({ prefix: "capacity-lake-" });
  let parquetBytes = 0;
  try {
    const lake = await DeltaStore.open({
      objects: new LocalObjectStore(dir),
      sinkName: "capacity",
      checkpointInterval: 10,
    });
    // The lake sink's default batch: 20,000 records per commit.
    for (let i = 0; i < work.length; i += 4) {
      const group = work.slice(i, i + 4);
      await lake.write({
        records: group.flatMap((b) => b.records),
        lastOffsets: group[group.length - 1].lastOffsets,
      });
    }
    await lake.close();
    parquetBytes = await bytesUnder(dir, ".parquet");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    rows,
    encodedBytesPerEvent: round(encoded / rows),
    gzipRatio: Math.round((gzipped / encoded) * 1000) / 1000,
    postgresBytesPerRow: round(postgresBytes / rows),
    parquetBytesPerRow: round(parquetBytes / rows),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { rows: { type: "string" } } });
  const url = Deno.env.get("DATABASE_URL") ??
    "postgres://analytics:analytics@127.0.0.1:5432/analytics";
  console.log(JSON.stringify(await measureStorage(Number(values.rows ?? 20_000), url), null, 2));
}
