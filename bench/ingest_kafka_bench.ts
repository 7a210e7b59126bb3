/**
 * Scenario 1: batched ingest into real Kafka (gRPC, batches of 100, concurrent callers, acks
 * from the broker), against the broker's own ceiling measured in the same run:
 * `kafka-producer-perf-test` with the same record size, acks=all, idempotence and compression.
 *
 * The broker must be up (`bash deploy/up.sh kafka`); KAFKA_BROKERS names it.
 */
import { toBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../ingest/auth/mod.ts";
import { sampleEvents } from "../sinks/testing/sample_events.ts";
import { runKafkaCeiling } from "./kafka_ceiling.ts";
import { runLoad } from "./loadgen/mod.ts";
import type { ScenarioResult } from "./scenario.ts";
import { kafkaBrokerPid, startCpuMeter } from "./process_cpu.ts";
import { spawnIngest } from "./spawn_ingest.ts";

/** Options of scenario 1. */
export interface IngestKafkaOptions {
  brokers: string[];
  /** How long the ingest is loaded. */
  durationMs: number;
  /** Records the ceiling run sends. */
  ceilingRecords: number;
  concurrency: number;
  compression: "gzip" | "none";
  onProgress?: (line: string) => void;
}

/** Mean encoded size of the events the ingest publishes (generated and enriched). */
export function meanEncodedEventSize(): number {
  const events = sampleEvents(2_000);
  const bytes = events.reduce((sum, e) => sum + toBinary(EventSchema, e).length, 0);
  return Math.round(bytes / events.length);
}

/** Runs the ceiling, then the ingest under load, and reports both and their ratio. */
export async function runIngestKafkaScenario(options: IngestKafkaOptions): Promise<ScenarioResult> {
  const recordSize = meanEncodedEventSize();
  const lingerMs = 5;
  options.onProgress?.(
    `ceiling: kafka-producer-perf-test, ${options.ceilingRecords} × ${recordSize} B`,
  );
  const ceiling = await runKafkaCeiling({
    brokers: options.brokers,
    records: options.ceilingRecords,
    recordSize,
    compression: options.compression,
    lingerMs,
    partitions: 6,
  });
  options.onProgress?.(
    `ceiling: ${ceiling.recordsPerSecond.toFixed(0)} records/s; cores used: ${
      formatCores(ceiling.cpu)
    }`,
  );

  const key = newWriteKey();
  // The ingest runs as its own process, as deployed, so the load generator does not share its
  // JavaScript thread.
  const ingest = await spawnIngest({
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_WRITE_KEYS: `bench:${hashWriteKey(key)}`,
    INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "10000000",
    KAFKA_BROKERS: options.brokers.join(","),
    KAFKA_COMPRESSION: options.compression,
    KAFKA_LINGER_MS: String(lingerMs),
    LOG_LEVEL: "info",
  });
  try {
    const meter = await startCpuMeter({
      ingest: ingest.pid,
      loadGenerator: Deno.pid,
      broker: await kafkaBrokerPid(),
    });
    const summary = await runLoad({
      protocol: "grpc",
      url: ingest.grpcUrl,
      writeKey: key,
      batch: 100,
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      onProgress: (p) =>
        options.onProgress?.(
          `ingest: ${p.accepted} accepted, ${p.rate.toFixed(0)} events/s, ${p.failed} failed`,
        ),
    });
    const cpu = await meter.stop();
    options.onProgress?.(`ingest: cores used: ${formatCores(cpu)}`);
    if (summary.accepted === 0) throw new Error(`nothing accepted: ${JSON.stringify(summary)}`);
    return {
      scenario: "1 batched ingest → Kafka (gRPC, batches of 100)",
      ours: { label: "ingest accepted events/s", value: summary.acceptedPerSecond },
      baseline: { label: "kafka-producer-perf-test records/s", value: ceiling.recordsPerSecond },
      ratio: summary.acceptedPerSecond / ceiling.recordsPerSecond,
      details: {
        recordSize,
        compression: options.compression,
        acks: "all",
        concurrency: options.concurrency,
        accepted: summary.accepted,
        notStored: summary.notStored,
        failedCalls: summary.failed,
        p50Ms: summary.latencyMs.p50,
        p99Ms: summary.latencyMs.p99,
        // Where the machine's two cores went while the ingest was loaded, and in the ceiling run.
        cpu,
        ingestCpuMicrosPerEvent: Math.round(cpu.ingest.cpuMs * 1000 / summary.accepted),
        ceiling: ceiling.summary,
        ceilingCpu: ceiling.cpu,
      },
    };
  } finally {
    await ingest.stop();
  }
}

/** "ingest 0.98, broker 0.31" from a CPU meter's reading. */
function formatCores(cpu: Record<string, { cores: number }>): string {
  return Object.entries(cpu).map(([name, { cores }]) => `${name} ${cores.toFixed(2)}`).join(", ");
}
