/**
 * Scenario 6: overload. The ingest (its own process, on real Kafka) is offered twice the rate
 * measured as sustainable in scenario 1, open loop, by callers that give each call a deadline
 * and never retry. It must stay up, keep its resident memory bounded (target: at most 256 MiB),
 * answer what it cannot take with `resource_exhausted` or `unavailable` rather than letting calls
 * hang, and lose nothing it acknowledged: every id the callers were told ACCEPTED (the ledger) is
 * read back from the topic.
 *
 * The broker must be up (`bash deploy/up.sh kafka`); KAFKA_BROKERS names it.
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../ingest/auth/mod.ts";
import { KafkaEndOffsets } from "../ingest/stream/kafka/end_offsets.ts";
import { readBack } from "../ingest/stream/kafka/read_back.ts";
import { readLedger, runLoad } from "./loadgen/mod.ts";
import { readProcessMemory, sampleProcessMemory } from "./process_memory.ts";
import type { ScenarioResult } from "./scenario.ts";
import { spawnIngest } from "./spawn_ingest.ts";

/** Partitions of the scenario's topic (the ingest's default, KAFKA_TOPIC_PARTITIONS). */
const PARTITIONS = 6;

/** The memory target of the scenario (issue 8). */
export const OVERLOAD_RSS_TARGET_MIB = 256;

/** Options of scenario 6. */
export interface OverloadOptions {
  brokers: string[];
  /** Sustainable events/s (scenario 1's figure); measured here first when undefined. */
  sustainableRate?: number;
  /** How long a sustainable rate is measured for when it has to be. */
  measureMs: number;
  /** How long the overload lasts. */
  durationMs: number;
  /** Deadline of each call. */
  timeoutMs: number;
  /** Open-loop callers (enough to keep the offered rate while calls wait). */
  concurrency: number;
  onProgress?: (line: string) => void;
}

/** Runs the overload and reports peak RSS against the target, outcomes, timeouts and losses. */
export async function runOverloadScenario(options: OverloadOptions): Promise<ScenarioResult> {
  const key = newWriteKey();
  const topic = `bench.overload.${Date.now()}`;
  const ledgerDir = await Deno.makeTempDir({ prefix: "bench-overload-" });
  const ingest = await spawnIngest({
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_WRITE_KEYS: `bench:${hashWriteKey(key)}`,
    INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "10000000",
    KAFKA_BROKERS: options.brokers.join(","),
    KAFKA_EVENTS_TOPIC: topic,
    KAFKA_COMPRESSION: "gzip",
    KAFKA_LINGER_MS: "5",
    KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    LOG_LEVEL: "info",
  });
  let exited: Deno.CommandStatus | undefined;
  ingest.status.then((status) => exited = status);
  let stopped = false;
  const stopIngest = async () => {
    if (!stopped) await ingest.stop();
    stopped = true;
  };
  const idle = await readProcessMemory(ingest.pid);
  const memory = sampleProcessMemory(ingest.pid);
  try {
    let sustainable = options.sustainableRate;
    let measuredAccepted = 0;
    if (sustainable === undefined) {
      const measured = await runLoad({
        protocol: "grpc",
        url: ingest.grpcUrl,
        writeKey: key,
        batch: 100,
        concurrency: 8,
        durationMs: options.measureMs,
        ledgerPath: `${ledgerDir}/measure.ids`,
      });
      sustainable = measured.acceptedPerSecond;
      measuredAccepted = measured.accepted;
      options.onProgress?.(
        `sustainable (closed loop, 8 callers): ${sustainable.toFixed(0)} events/s`,
      );
    }
    const offered = Math.max(200, Math.round(2 * sustainable));
    options.onProgress?.(`offering ${offered} events/s for ${options.durationMs / 1000} s`);
    const summary = await runLoad({
      protocol: "grpc",
      url: ingest.grpcUrl,
      writeKey: key,
      batch: 100,
      rate: offered,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      durationMs: options.durationMs,
      ledgerPath: `${ledgerDir}/overload.ids`,
      onProgress: (p) =>
        options.onProgress?.(
          `overload: ${p.accepted} accepted, ${p.failed} in failed calls, ` +
            `${p.rate.toFixed(0)} events/s answered`,
        ),
    });
    const rss = await memory.stop();
    const crashed = exited !== undefined;
    // Stopped gracefully, the ingest has sent all it took: the topic's end offsets count it all
    // (calls that timed out may have been stored too: "not acknowledged" is not "lost").
    await stopIngest();
    const ends = new KafkaEndOffsets({ brokers: options.brokers }, topic);
    let inTopic = 0;
    try {
      const partitions = Array.from({ length: PARTITIONS }, (_, i) => i);
      for (const end of (await ends.endOffsets(partitions)).values()) inTopic += Number(end);
    } finally {
      await ends.close();
    }
    const ledger = [
      ...(measuredAccepted > 0 ? await readLedger(`${ledgerDir}/measure.ids`) : []),
      ...await readLedger(`${ledgerDir}/overload.ids`),
    ];
    options.onProgress?.(`reading back ${ledger.length} acknowledged events from ${topic}`);
    const records = await readBack({
      brokers: options.brokers,
      topic,
      expected: inTopic,
      timeoutMs: 120_000,
    });
    const stored = new Set(records.map((r) => fromBinary(EventSchema, r.value).eventId));
    const lost = ledger.filter((id) => !stored.has(id));
    const { resource_exhausted = 0, unavailable = 0, deadline_exceeded = 0, ...others } =
      summary.errors;
    const details = {
      topic,
      sustainableEventsPerSecond: Math.round(sustainable),
      offeredEventsPerSecond: offered,
      sentEventsPerSecond: Math.round(summary.eventsPerSecond),
      acceptedEventsPerSecond: Math.round(summary.acceptedPerSecond),
      calls: summary.calls,
      resourceExhaustedCalls: resource_exhausted,
      unavailableCalls: unavailable,
      timedOutCalls: deadline_exceeded,
      otherFailedCalls: others,
      notStoredEvents: summary.notStored,
      acknowledged: ledger.length,
      inTopic,
      readBack: records.length,
      lostAcknowledged: lost.length,
      crashed,
      idleRssMiB: Math.round(idle?.rssMiB ?? 0),
      peakRssMiB: Math.round(rss.peakRssMiB),
      hwmMiB: Math.round(rss.hwmMiB),
      memorySamples: rss.samples,
      callLatencyMs: summary.latencyMs,
    };
    if (lost.length > 0 || crashed) {
      throw new Error(`overload broke a promise: ${JSON.stringify(details)}`);
    }
    return {
      scenario: "6 overload (2× sustainable, gRPC batches of 100, deadline per call)",
      ours: { label: "MiB ingest peak RSS (VmHWM)", value: rss.hwmMiB },
      baseline: { label: "MiB target", value: OVERLOAD_RSS_TARGET_MIB },
      ratio: rss.hwmMiB / OVERLOAD_RSS_TARGET_MIB,
      details,
    };
  } finally {
    await memory.stop();
    await stopIngest();
    await Deno.remove(ledgerDir, { recursive: true });
  }
}
