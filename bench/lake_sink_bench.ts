/**
 * Lake sink throughput against its baseline, from one run: the same rows in the same batch sizes
 * written (1) by DeltaStore (events → Arrow columns → Parquet by parquet-wasm, our Delta commits)
 * and (2) by delta-rs' `write_deltalake` from Python, both to a local folder. Prints rows/s of
 * each, the ratio, and the lake sink's CPU time per row.
 *
 * `--overlap`: every batch carries events from the whole id range (rows dealt to batches in
 * turn), so every file's event_id range overlaps every later batch and the lake sink's dedup reads
 * all earlier files of the batch's dates: its worst case. Default: ids grow batch by batch, as
 * live traffic does, and the dedup reads nothing.
 *
 * Run: deno run -A bench/lake_sink_bench.ts [--rows 200000] [--batch 20000] [--overlap]
 * Needs the venv of deploy/python/install.sh.
 */
import process from "node:process";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { EVENT_COLUMNS } from "../sinks/delta/columns.ts";
import { DeltaStore } from "../sinks/delta/delta_store.ts";
import { LocalObjectStore } from "../sinks/delta/storage/local_object_store.ts";
import { sampleBatch } from "../sinks/delta/testkit/events.ts";
import { readWithDeltaRs } from "../sinks/delta/testkit/delta_reader.ts";
import type { ScenarioResult } from "./scenario.ts";

/** Options of `runLakeSinkScenario`. */
export interface LakeSinkBenchOptions {
  /** Rows written by each writer. */
  rows: number;
  /** Rows per batch (one commit each). */
  batch: number;
  /** Deal rows to batches in turn, so every batch's ids overlap every file (dedup worst case). */
  overlap?: boolean;
}

/** Writes the same batches by DeltaStore and by write_deltalake; ratio is ours / theirs. */
export async function runLakeSinkScenario(options: LakeSinkBenchOptions): Promise<ScenarioResult> {
  const { rows, batch: batchSize } = options;
  const repo = new URL("../", import.meta.url).pathname;
  const python = join(repo, "deploy/.cache/python-venv/bin/python");

  let batches = Array.from(
    { length: Math.ceil(rows / batchSize) },
    (_, i) =>
      sampleBatch(Math.min(batchSize, rows - i * batchSize), {
        firstOffset: BigInt(i * batchSize),
        days: 3,
      }),
  );
  if (options.overlap) {
    const all = batches.flatMap((b) => b.records);
    batches = batches.map((_batch, i) => {
      const records = all.filter((_, j) => j % batches.length === i).map((r, k) => ({
        ...r,
        record: { ...r.record, offset: BigInt(i * batchSize + k) },
      }));
      return { records, lastOffsets: new Map([[0, BigInt(i * batchSize + records.length - 1)]]) };
    });
  }
  // The sink writes events decoded from Kafka record values (flat strings, the decoder's object
  // shapes), not the objects `create` made: decode them as the sink loop does (not timed).
  for (const batch of batches) {
    for (const r of batch.records) {
      r.record = { ...r.record, value: toBinary(EventSchema, r.event) };
      r.event = fromBinary(EventSchema, r.record.value);
    }
  }
  const work = await Deno.makeTempDir({ prefix: "lake-bench-" });
  try {
    // 1. The lake sink.
    const ours = join(work, "ours");
    const store = await DeltaStore.open({
      objects: new LocalObjectStore(ours),
      sinkName: "bench",
      checkpointInterval: 10,
    });
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (const batch of batches) await store.write(batch);
    const oursSeconds = (performance.now() - started) / 1000;
    // CPU per row of this process (JavaScript and DuckDB's threads): barely depends on the load.
    const cpu = process.cpuUsage(cpuStart);
    const cpuMicrosPerRow = (cpu.user + cpu.system) / rows;
    await store.close();
    const check = await readWithDeltaRs(ours);
    if (check.row_count !== rows) throw new Error(`lake sink wrote ${check.row_count} rows`);

    // 2. The same rows, as plain JSON cells, for write_deltalake.
    const ndjson = join(work, "rows.ndjson");
    const lines: string[] = [];
    for (const batch of batches) {
      for (const { event } of batch.records) {
        const row: Record<string, unknown> = {};
        for (const column of EVENT_COLUMNS) row[column.name] = column.value(event);
        lines.push(JSON.stringify(row));
      }
    }
    await Deno.writeTextFile(ndjson, lines.join("\n") + "\n");
    const timestamps = EVENT_COLUMNS.filter((c) => c.type === "timestamp").map((c) => c.name);
    const out = await new Deno.Command(python, {
      args: [
        join(repo, "deploy/python/write_bench.py"),
        ndjson,
        join(work, "theirs"),
        String(batchSize),
        timestamps.join(","),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("write_bench.py failed");
    const theirs = JSON.parse(new TextDecoder().decode(out.stdout)) as { seconds: number };
    const oursRate = rows / oursSeconds;
    const theirsRate = rows / theirs.seconds;
    return {
      scenario: "lake-sink",
      ours: { label: "rows/s lake sink", value: oursRate },
      baseline: { label: "rows/s write_deltalake", value: theirsRate },
      ratio: oursRate / theirsRate,
      details: {
        rows,
        batch: batchSize,
        commits: batches.length,
        overlap: options.overlap ?? false,
        cpuMicrosPerRow,
      },
    };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rows: { type: "string", default: "200000" },
      batch: { type: "string", default: "20000" },
      overlap: { type: "boolean", default: false },
    },
  });
  const result = await runLakeSinkScenario({
    rows: Number(values.rows),
    batch: Number(values.batch),
    overlap: values.overlap,
  });
  console.log(`lake sink (DeltaStore, parquet-wasm): ${Math.round(result.ours.value)} rows/s`);
  console.log(
    `delta-rs write_deltalake (Python):    ${Math.round(result.baseline.value)} rows/s`,
  );
  console.log(`lake sink CPU: ${(result.details.cpuMicrosPerRow as number).toFixed(1)} µs per row`);
  console.log(
    `ratio lake sink / write_deltalake: ${result.ratio.toFixed(2)} ` +
      `(${values.rows} rows, batches of ${values.batch}, ${result.details.commits} commits each)`,
  );
}
