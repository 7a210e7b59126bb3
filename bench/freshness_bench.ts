/**
 * Freshness of the hot store: how long from an event being sent to the ingest until it is
 * queryable in PostgreSQL, at a steady load. The ingest and the hot sink run as real processes
 * on Kafka and PostgreSQL (the sink with its default batch limits, adaptive: a batch is written
 * once the log had nothing new for HOT_BATCH_IDLE_MS), the load generator sends a
 * steady rate, and a probe sends one marker event every 100 ms and polls for the markers by id
 * through SQL. Reported: p50 and p99 of the markers' latency; the baseline from the same run is
 * the p50 of the ingest's own acknowledgement of those markers.
 *
 * Run: deno run -A bench/freshness_bench.ts [--rate 1500] [--seconds 20] [--sink-env NAME=VALUE]
 * (or `deno task bench --scenario freshness`; services from bash deploy/up.sh)
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createClient } from "@connectrpc/connect";
import { IngestService, Outcome } from "@analytics/schema";
import { createEventSource, createLoadTransport, summarizeLatencies } from "./loadgen/mod.ts";
import { FaultRun } from "../sinks/faults/fault_run.ts";
import { HOT_BATCH_IDLE_MS, HOT_BATCH_MAX_WAIT_MS } from "../sinks/timescale/config.ts";
import { DEFAULT_BATCH_LIMITS } from "../sinks/loop/batch_limits.ts";
import type { ScenarioResult } from "./scenario.ts";

/** Options of `runFreshnessScenario`. */
export interface FreshnessOptions {
  /** Background load, events per second. */
  rate: number;
  /** How long the load and the probe run. */
  durationMs: number;
  /** Probe interval (one marker each). Default 100 ms. */
  probeIntervalMs?: number;
  /** Hot sink environment overrides (e.g. SINK_BATCH_MAX_WAIT_MS). Default: the sink's defaults. */
  sinkEnv?: Record<string, string>;
  onProgress?: (line: string) => void;
}

/** Runs the ingest and the hot sink as processes and measures sent → queryable latency. */
export async function runFreshnessScenario(options: FreshnessOptions): Promise<ScenarioResult> {
  const probeIntervalMs = options.probeIntervalMs ?? 100;
  const run = await FaultRun.create({ name: "freshness", log: "kafka", lake: "local" });
  try {
    await run.startIngest();
    await run.startHotSink("hot-sink", {
      // The deployment's defaults, not the fault tests' small batches.
      env: {
        SINK_BATCH_MAX_RECORDS: String(DEFAULT_BATCH_LIMITS.maxRecords),
        SINK_BATCH_MAX_WAIT_MS: String(HOT_BATCH_MAX_WAIT_MS),
        ...options.sinkEnv,
      },
    });
    const sql = postgres(run.databaseUrl, { max: 2, onnotice: () => {} });
    const { transport, close } = createLoadTransport({
      protocol: "grpc",
      url: `http://127.0.0.1:${run.ingestGrpcPort}`,
      writeKey: run.writeKey,
    });
    const ingest = createClient(IngestService, transport);
    const source = createEventSource({ seed: 7 });

    const pending = new Map<string, number>();
    const freshness: number[] = [];
    const acks: number[] = [];
    let probing = true;
    const poller = (async () => {
      while (probing || pending.size > 0) {
        if (pending.size > 0) {
          const ids = [...pending.keys()];
          const found = await sql<{ id: string }[]>`
            SELECT event_id::text AS id FROM analytics_events WHERE event_id = ANY(${ids}::uuid[])`;
          const now = performance.now();
          for (const { id } of found) {
            freshness.push(now - pending.get(id)!);
            pending.delete(id);
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const probe = (async () => {
      const end = performance.now() + options.durationMs;
      while (performance.now() < end) {
        const event = source.next();
        const sent = performance.now();
        const answer = await ingest.track({ events: [event] });
        if (answer.results[0]?.outcome === Outcome.ACCEPTED) {
          acks.push(performance.now() - sent);
          pending.set(event.eventId, sent);
        }
        await new Promise((r) =>
          setTimeout(r, Math.max(0, probeIntervalMs - (performance.now() - sent)))
        );
      }
    })();
    // The load runs in a child process (no progress callback): progress is the probe's.
    const progress = setInterval(
      () => options.onProgress?.(`${freshness.length} markers seen, ${pending.size} pending`),
      2_000,
    );
    const load = await run.runLoad({
      rate: options.rate,
      durationMs: options.durationMs,
      concurrency: 8,
      batch: 50,
      retry: undefined,
    }).finally(() => clearInterval(progress));
    await probe;
    probing = false;
    const deadline = Date.now() + 30_000;
    while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lost = pending.size;
    pending.clear();
    await poller;
    close();
    await sql.end({ timeout: 2 });
    const f = summarizeLatencies(freshness);
    const a = summarizeLatencies(acks);
    run.passed();
    return {
      scenario: "freshness",
      ours: { label: "ms p50 sent → queryable in PostgreSQL", value: f.p50 },
      baseline: { label: "ms p50 sent → acknowledged by the ingest", value: a.p50 },
      ratio: f.p50 / a.p50,
      details: {
        freshnessMs: f,
        ackMs: a,
        markers: freshness.length,
        markersNotSeenIn30s: lost,
        loadAcceptedPerSecond: Math.round(load.acceptedPerSecond),
        loadAccepted: load.accepted,
        sinkBatch: {
          maxRecords: DEFAULT_BATCH_LIMITS.maxRecords,
          maxWaitMs: HOT_BATCH_MAX_WAIT_MS,
          idleMs: HOT_BATCH_IDLE_MS,
          ...options.sinkEnv,
        },
      },
    };
  } finally {
    await run.dispose();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rate: { type: "string", default: "1500" },
      seconds: { type: "string", default: "20" },
      /** Hot sink variables, NAME=VALUE, repeatable (e.g. SINK_BATCH_MAX_WAIT_MS=200). */
      "sink-env": { type: "string", multiple: true, default: [] },
    },
  });
  const result = await runFreshnessScenario({
    rate: Number(values.rate),
    durationMs: Number(values.seconds) * 1000,
    sinkEnv: Object.fromEntries(values["sink-env"].map((pair) => pair.split("=", 2))),
    onProgress: (line) => console.error(`  … ${line}`),
  });
  console.log(JSON.stringify(result, null, 2));
}
