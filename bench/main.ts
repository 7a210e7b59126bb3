/**
 * `deno task bench`: runs the benchmark scenarios against real services (started by
 * `bash deploy/up.sh`), each with a progress line and a result row, reported as ratios to
 * baselines measured in the same run. Results go to stdout and to .data/bench/results.json.
 *
 * Usage: deno task bench [--smoke]
 *   [--scenario ingest-kafka|single-events|hot-sink|lake-sink|freshness|overload]
 *   [--concurrency 32]
 */
import { parseArgs } from "node:util";
import { runFreshnessScenario } from "./freshness_bench.ts";
import { runHotSinkScenario } from "./hot_sink_bench.ts";
import { runIngestKafkaScenario } from "./ingest_kafka_bench.ts";
import { runLakeSinkScenario } from "./lake_sink_bench.ts";
import { runOverloadScenario } from "./overload_bench.ts";
import { runSingleEventsScenario } from "./single_events_bench.ts";
import { formatResults, type ScenarioResult } from "./scenario.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    smoke: { type: "boolean", default: false },
    scenario: { type: "string", multiple: true },
    concurrency: { type: "string", default: "32" },
  },
});

const brokers = (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(",");
const progress = (line: string) => console.error(`  … ${line}`);
const results: ScenarioResult[] = [];
const scenarios: Record<string, () => Promise<ScenarioResult>> = {
  "ingest-kafka": () =>
    runIngestKafkaScenario({
      brokers,
      durationMs: values.smoke ? 3_000 : 30_000,
      ceilingRecords: values.smoke ? 20_000 : 200_000,
      concurrency: Number(values.concurrency),
      compression: "gzip",
      onProgress: progress,
    }),
  "single-events": () =>
    runSingleEventsScenario({
      brokers,
      durationMs: values.smoke ? 2_000 : 20_000,
      concurrency: Number(values.concurrency),
      onProgress: progress,
    }),
  "hot-sink": () =>
    runHotSinkScenario({
      rows: values.smoke ? 5_000 : 100_000,
      batch: values.smoke ? 1_000 : 5_000,
    }),
  "lake-sink": () =>
    runLakeSinkScenario({
      rows: values.smoke ? 5_000 : 200_000,
      batch: values.smoke ? 1_000 : 20_000,
    }),
  // Twice scenario 1's rate when it ran in this invocation, else measured first.
  overload: () =>
    runOverloadScenario({
      brokers,
      sustainableRate: results.find((r) => r.scenario.startsWith("1 "))?.ours.value,
      measureMs: values.smoke ? 2_000 : 10_000,
      durationMs: values.smoke ? 4_000 : 60_000,
      timeoutMs: 5_000,
      concurrency: 128,
      onProgress: progress,
    }),
  freshness: () =>
    runFreshnessScenario({
      rate: values.smoke ? 300 : 3_000,
      durationMs: values.smoke ? 3_000 : 20_000,
      onProgress: progress,
    }),
};

const chosen = values.scenario?.length ? values.scenario : Object.keys(scenarios);
for (const name of chosen) {
  const run = scenarios[name];
  if (!run) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios)}`);
  console.error(`scenario ${name}${values.smoke ? " (smoke)" : ""}`);
  results.push(await run());
}
console.log(formatResults(results));
await Deno.mkdir(".data/bench", { recursive: true });
await Deno.writeTextFile(
  ".data/bench/results.json",
  JSON.stringify({ date: new Date().toISOString(), smoke: values.smoke, results }, null, 2),
);
