/**
 * Hot sink throughput against its baseline, from one run: the same rows loaded (1) by the hot
 * sink — embedded log → runSinkLoop → TimescaleStore (COPY straight into the table, or staging +
 * INSERT ... ON CONFLICT for a batch with a duplicate; rollup) — and (2) by `psql \copy` straight
 * into the same table with the same indexes and the same daily partitions, each in a fresh
 * schema. Prints rows/s of both and the ratio.
 *
 * Usage: deno run -A bench/hot_sink_bench.ts [--rows 100000] [--batch 5000]
 *   (PostgreSQL must be up: bash deploy/up.sh postgres; DATABASE_URL overrides the default)
 */
import process from "node:process";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openLocalLog } from "../ingest/stream/local/mod.ts";
import { EVENTS_TOPIC } from "../ingest/stream/topics.ts";
import { runSinkLoop } from "../sinks/loop/mod.ts";
import { eventCopyLine } from "../sinks/timescale/load/copy_text.ts";
import { COLUMN_LIST, eventDays } from "../sinks/timescale/event_row.ts";
import { DailyPartitions } from "../sinks/timescale/load/partitions.ts";
import { openHotStore } from "../sinks/timescale/open_hot_store.ts";
import { TimescaleStore } from "../sinks/timescale/timescale_store.ts";
import { sampleEvents, toRecord } from "../sinks/testing/sample_events.ts";
import type { ScenarioResult } from "./scenario.ts";

/** Options of `runHotSinkScenario`. */
export interface HotSinkBenchOptions {
  /** Rows loaded by each path. */
  rows: number;
  /** The sink's batch size. */
  batch: number;
  /** Default DATABASE_URL, else the deploy/ cluster. */
  databaseUrl?: string;
}

/** Loads the same rows by the hot sink and by `psql \\copy`; the ratio is sink / copy. */
export async function runHotSinkScenario(options: HotSinkBenchOptions): Promise<ScenarioResult> {
  const { rows, batch } = options;
  const baseUrl = options.databaseUrl ?? Deno.env.get("DATABASE_URL") ??
    "postgres://analytics:analytics@127.0.0.1:5432/analytics";
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });

  // Schemas named per run, so two runs at once (shared machines) do not drop each other's tables.
  const run = `${Deno.pid}_${Date.now()}`;
  const sinkSchema = `bench_sink_${run}`;
  const copySchema = `bench_copy_${run}`;
  async function freshSchema(name: string): Promise<string> {
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${name} CASCADE; CREATE SCHEMA ${name}`);
    return `${baseUrl}${baseUrl.includes("?") ? "&" : "?"}search_path=${name}`;
  }

  const events = sampleEvents(rows, { seed: 42 });
  const copyFile = await Deno.makeTempFile({ suffix: ".tsv" });
  await Deno.writeTextFile(copyFile, events.map(eventCopyLine).join(""));

  // 1. The hot sink, from the embedded log.
  const logDir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir: logDir, fsync: "never" });
  const publisher = await log.publisher();
  for (let i = 0; i < rows; i += 10_000) {
    await publisher.publish(EVENTS_TOPIC, events.slice(i, i + 10_000).map(toRecord));
  }
  const sinkHot = await openHotStore({ kind: "postgres", url: await freshSchema(sinkSchema) });
  const store = new TimescaleStore(sinkHot.loader);
  const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "bench" });
  const controller = new AbortController();
  let seen = 0;
  let sinkStart = 0;
  const sinkRun = runSinkLoop({
    consumer,
    store,
    deadLetter: publisher,
    batch: { maxRecords: batch, maxBytes: 64 << 20, maxWaitMs: 200 },
    signal: controller.signal,
    onBatch: (r) => {
      seen += r.records;
      if (seen >= rows) controller.abort();
    },
  });
  sinkStart = performance.now();
  const cpuStart = process.cpuUsage();
  await sinkRun;
  const sinkSeconds = (performance.now() - sinkStart) / 1000;
  // The sink process's CPU per row (all its threads, not PostgreSQL's): unlike rows/s, it barely
  // depends on what else runs on the machine.
  const cpu = process.cpuUsage(cpuStart);
  const sinkCpuMicrosPerRow = (cpu.user + cpu.system) / rows;
  await consumer.close();
  await log.close();
  await sinkHot.close();
  if (store.inserted !== rows) throw new Error(`sink inserted ${store.inserted} of ${rows}`);

  // 2. psql \copy of the same rows into the same table, indexes and partitions.
  const copyUrl = await freshSchema(copySchema);
  const copyHot = await openHotStore({ kind: "postgres", url: copyUrl });
  await new DailyPartitions(copyHot.sql).ensure(eventDays(events));
  await copyHot.close();
  const psqlStart = performance.now();
  const psql = await new Deno.Command("psql", {
    args: [
      baseUrl,
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      `SET search_path = ${copySchema}`,
      "-c",
      `\\copy analytics_events (${COLUMN_LIST}) FROM '${copyFile}'`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const copySeconds = (performance.now() - psqlStart) / 1000;
  if (!psql.success) throw new Error(new TextDecoder().decode(psql.stderr));
  const [{ n }] = await admin.unsafe(
    `SELECT count(*)::int AS n FROM ${copySchema}.analytics_events`,
  );
  if (n !== rows) throw new Error(`\\copy loaded ${n} of ${rows}`);

  await admin.unsafe(`DROP SCHEMA ${sinkSchema} CASCADE; DROP SCHEMA ${copySchema} CASCADE`);
  await admin.end();
  await Deno.remove(copyFile);
  await Deno.remove(logDir, { recursive: true });

  const sinkRate = rows / sinkSeconds;
  const copyRate = rows / copySeconds;
  return {
    scenario: "hot-sink",
    ours: { label: "rows/s hot sink", value: sinkRate },
    baseline: { label: "rows/s psql \\copy", value: copyRate },
    ratio: sinkRate / copyRate,
    details: { rows, batch, sinkCpuMicrosPerRow },
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rows: { type: "string", default: "100000" },
      batch: { type: "string", default: "5000" },
    },
  });
  const result = await runHotSinkScenario({
    rows: Number(values.rows),
    batch: Number(values.batch),
  });
  console.log(`rows: ${values.rows}, sink batch: ${values.batch}`);
  console.log(
    `hot sink (log → loop → COPY, dedup by the primary key): ${
      result.ours.value.toFixed(0)
    } rows/s`,
  );
  console.log(
    `psql \\copy (same table, indexes, partitions): ${result.baseline.value.toFixed(0)} rows/s`,
  );
  console.log(`ratio sink / \\copy: ${result.ratio.toFixed(2)}`);
  console.log(
    `sink process CPU per row: ${Number(result.details.sinkCpuMicrosPerRow).toFixed(1)} µs`,
  );
}
