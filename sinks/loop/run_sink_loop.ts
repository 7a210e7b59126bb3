/**
 * The batch-consume loop both sinks run: collect, decode, dead-letter what can never be stored,
 * write the rest durably, and only then commit the next offsets.
 */
import { createValidator, type Validator } from "@bufbuild/protovalidate";
import { trace, type Tracer } from "@opentelemetry/api";
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { Publisher } from "../../ingest/stream/publisher.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { DEAD_LETTER_TOPIC } from "../../ingest/stream/topics.ts";
import type { Logger } from "../../ingest/observability/logger.ts";
import { AssignmentTracker, dropStale } from "./assignment_tracker.ts";
import { type BatchLimits, resolveBatchLimits } from "./batch_limits.ts";
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, sleep } from "./backoff.ts";
import { collectBatch } from "./collect_batch.ts";
import { type DeadRecord, publishDeadLetters } from "./dead_letter.ts";
import { type DecodeOutcome, decodeRecord } from "./decode_record.ts";
import { inBatchSpan, inChildSpan } from "./batch_span.ts";
import type { EndOffsetsProbe, SinkMetrics } from "./sink_metrics.ts";
import type { DecodedRecord, SinkBatch, SinkStore } from "./sink_store.ts";

/** What one written batch held, for logs, metrics and tests. */
export interface BatchReport {
  records: number;
  written: number;
  deadLettered: number;
  bytes: number;
  /** Next offsets committed, per partition. */
  committed: Map<number, bigint>;
  /** Attempts `store.write` took (1 when it worked at once). */
  writeAttempts: number;
  /** Milliseconds from the batch's collection to its commit. */
  durationMs: number;
}

/** Totals when the loop returns. */
export interface SinkLoopSummary {
  batches: number;
  written: number;
  deadLettered: number;
  /** True when a collected batch was dropped uncommitted because of the stop signal. */
  abandoned: boolean;
}

/** Options of `runSinkLoop`. */
export interface SinkLoopOptions {
  /** Reads the event topic as the sink's consumer group. */
  consumer: Consumer;
  /** Where batches go; its `write` must be idempotent. */
  store: SinkStore;
  /** Publisher of the dead-letter topic (the same log as the consumer's). */
  deadLetter: Publisher;
  /** Dead-letter topic. Default `DEAD_LETTER_TOPIC`. */
  deadLetterTopic?: string;
  /** Batch limits; defaults in `DEFAULT_BATCH_LIMITS`. */
  batch?: Partial<BatchLimits>;
  /** Retry policy for transient failures; defaults in `DEFAULT_RETRY_POLICY`. */
  retry?: Partial<RetryPolicy>;
  /** Offset commits tried this many times before the loop fails. Default 10. */
  maxCommitAttempts?: number;
  /** Structured log. Default: none. */
  log?: Logger;
  /** Stops the loop: a batch being written is finished and committed; one being collected or
   * waiting for a retry is abandoned uncommitted (it is read again on restart). */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (report: BatchReport) => void;
  /** The protovalidate validator; default a new one. */
  validator?: Validator;
  /** Batch sizes, write and commit latencies, dead letters, consumer lag; none when absent. */
  metrics?: SinkMetrics;
  /** Finds the log's end offsets for the lag gauge; no lag is measured when absent. */
  endOffsets?: EndOffsetsProbe;
  /** Least milliseconds between two lag measurements. Default 1000. */
  lagIntervalMs?: number;
  /** Tracer of the batch spans; the global `@opentelemetry/api` tracer by default. */
  tracer?: Tracer;
  /** `messaging.system` of the consume spans: "kafka" or "local". Default "kafka". */
  logSystem?: string;
  /** The consumer group, for the consume spans' attributes. */
  groupId?: string;
}

/** `db.system`-like name of a store, for its write span. */
const STORE_SYSTEM: Record<string, string> = { timescale: "postgresql", delta: "delta_lake" };

/**
 * Runs until `signal` aborts (resolving with totals) or a store error that is not transient
 * (rejecting: the process should exit and be restarted; no batch is ever skipped).
 *
 * @example
 * ```ts ignore
 * const controller = new AbortController();
 * Deno.addSignalListener("SIGTERM", () => controller.abort());
 * await runSinkLoop({ consumer, store, deadLetter: publisher, signal: controller.signal });
 * ```
 */
export async function runSinkLoop(options: SinkLoopOptions): Promise<SinkLoopSummary> {
  const { consumer, store, deadLetter, signal, log } = options;
  const limits = resolveBatchLimits(options.batch);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const validator = options.validator ?? createValidator();
  const topic = options.deadLetterTopic ?? DEAD_LETTER_TOPIC;
  const tracker = new AssignmentTracker(consumer, store);
  const summary: SinkLoopSummary = { batches: 0, written: 0, deadLettered: 0, abandoned: false };
  const { metrics } = options;
  const tracer = options.tracer ?? trace.getTracer("analytics-sink");
  const sink = { sink: store.name };
  const committedNext = new Map<number, bigint>();
  let lagMeasuredAt = -Infinity;

  await tracker.refresh();
  // The next batch is collected and decoded while this one is written: decoding is the sink's
  // CPU work, writing mostly the store's, and on a small machine they overlap. Positions are
  // still sought between two collections only, so no poll runs across a seek.
  let next = prefetch();
  while (!signal?.aborted) {
    const { polled, outcomes, started } = await next;
    const change = await tracker.refresh();
    if (change.assigned.length > 0 || change.revoked.length > 0) {
      log?.info("assignment changed", {
        sink: store.name,
        assigned: change.assigned,
        revoked: change.revoked,
        resumed: Object.fromEntries([...change.sought].map(([p, o]) => [p, o.toString()])),
      });
    }
    const records = dropStale(polled, change);
    if (records.length === 0) {
      next = prefetch();
      if (polled.length === 0) await measureLag(true);
      continue;
    }
    if (signal?.aborted) {
      summary.abandoned = true;
      break;
    }
    next = prefetch();
    const outcome = await inBatchSpan(tracer, {
      records,
      system: options.logSystem ?? "kafka",
      group: options.groupId ?? "",
      sink: store.name,
    }, () => handleBatch(records, outcomes, started));
    if (outcome === "abandoned") {
      summary.abandoned = true;
      break;
    }
    await measureLag(false);
  }
  return summary;

  /** Collects the next batch and decodes its records (decoding is pure: stale ones are dropped
   * later). A failure surfaces when the loop awaits it, never as an unhandled rejection. */
  function prefetch(): Promise<Prefetched> {
    const started = Date.now();
    const batch = collectBatch(consumer, limits, signal).then(async (polled) => {
      const outcomes = new Map<ConsumedRecord, DecodeOutcome>();
      for (let i = 0; i < polled.length; i += DECODE_SLICE) {
        // In slices, yielding between them: the write in flight keeps its turns (each statement
        // it sends waits at most one slice), and the decoding fills the store's waiting time.
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
        for (const record of polled.slice(i, i + DECODE_SLICE)) {
          outcomes.set(record, decodeRecord(record, validator));
        }
      }
      return { polled, outcomes, started };
    });
    batch.catch(() => {});
    return batch;
  }

  /** Decodes, dead-letters, writes and commits one batch; "abandoned" on a stop during retry. */
  async function handleBatch(
    records: ConsumedRecord[],
    outcomes: Map<ConsumedRecord, DecodeOutcome>,
    started: number,
  ): Promise<"committed" | "abandoned"> {
    const { batch, dead, bytes } = splitBatch(records, outcomes);
    for (const d of dead) {
      log?.warn("dead-lettering record", {
        sink: store.name,
        partition: d.record.partition,
        offset: d.record.offset.toString(),
        reason: d.reason,
      });
    }
    const deadSent = await withRetry(
      () => publishDeadLetters(deadLetter, topic, dead, store.name),
      () => true,
      "dead-letter publish",
    );
    if (!deadSent) return "abandoned";
    let writeAttempts = 0;
    const written = await withRetry(
      () => {
        writeAttempts++;
        const writeStarted = performance.now();
        return inChildSpan(tracer, `${store.name} write`, {
          "db.system.name": STORE_SYSTEM[store.name] ?? store.name,
          "analytics.sink": store.name,
          "analytics.batch.events": batch.records.length,
        }, () => store.write(batch)).then(() => {
          metrics?.storeWriteLatency.record(performance.now() - writeStarted, sink);
        });
      },
      (error) => store.isTransient(error),
      "store write",
    );
    if (!written) return "abandoned";
    const committed = nextOffsets(batch.lastOffsets);
    const commitStarted = performance.now();
    await inChildSpan(tracer, "commit offsets", {
      "messaging.consumer.group.name": options.groupId ?? "",
    }, () => commitWithRetry(committed));
    metrics?.commitLatency.record(performance.now() - commitStarted, sink);
    for (const [partition, offset] of committed) committedNext.set(partition, offset);
    metrics?.batchRecords.record(records.length, sink);
    metrics?.written.add(batch.records.length, sink);
    if (dead.length > 0) metrics?.deadLettered.add(dead.length, sink);

    summary.batches++;
    summary.written += batch.records.length;
    summary.deadLettered += dead.length;
    options.onBatch?.({
      records: records.length,
      written: batch.records.length,
      deadLettered: dead.length,
      bytes,
      committed,
      writeAttempts,
      durationMs: Date.now() - started,
    });
    return "committed";
  }

  /**
   * Sets the lag gauge of every assigned partition: its end offset minus the offset committed
   * by this loop; after an empty poll (`idle`) a partition this loop has not committed is at its
   * end, so 0. At most once per `lagIntervalMs`; a failed probe is logged, not fatal.
   */
  async function measureLag(idle: boolean): Promise<void> {
    if (!options.endOffsets || !metrics) return;
    const now = performance.now();
    if (now - lagMeasuredAt < (options.lagIntervalMs ?? 1000)) return;
    lagMeasuredAt = now;
    const partitions = consumer.assignment();
    try {
      const ends = await options.endOffsets.endOffsets(partitions);
      for (const partition of partitions) {
        const end = ends.get(partition);
        const committed = committedNext.get(partition) ?? (idle ? end : undefined);
        if (end === undefined || committed === undefined) continue;
        const lag = end > committed ? Number(end - committed) : 0;
        metrics.lag.set(lag, { ...sink, partition: String(partition) });
      }
    } catch (error) {
      log?.warn("consumer lag probe failed", { sink: store.name, error });
    }
  }

  /**
   * Runs `attempt` until it works. Retries while `transient(error)`, with backoff; rethrows
   * otherwise. Resolves false when the stop signal came during a backoff (batch abandoned).
   */
  async function withRetry(
    attempt: () => Promise<void>,
    transient: (error: unknown) => boolean,
    what: string,
  ): Promise<boolean> {
    for (let n = 1;; n++) {
      try {
        await attempt();
        return true;
      } catch (error) {
        if (!transient(error)) throw error;
        const delayMs = backoffDelay(retry, n);
        log?.warn(`${what} failed; retrying`, { sink: store.name, attempt: n, delayMs, error });
        if (!(await sleep(delayMs, signal))) return false;
      }
    }
  }

  /** Commits the offsets; the write is durable, so a stop signal does not interrupt this. */
  async function commitWithRetry(offsets: Map<number, bigint>): Promise<void> {
    const maxAttempts = options.maxCommitAttempts ?? 10;
    for (let n = 1;; n++) {
      try {
        await consumer.commit(offsets);
        return;
      } catch (error) {
        if (n >= maxAttempts) {
          throw new Error(`offset commit failed after ${n} attempts`, { cause: error });
        }
        const delayMs = backoffDelay(retry, n);
        log?.warn("offset commit failed; retrying", { sink: store.name, attempt: n, error });
        await sleep(delayMs);
      }
    }
  }
}

/** Records decoded between two yields to the event loop (a few milliseconds of work). */
const DECODE_SLICE = 250;

/** A collected batch with each record's decode outcome. */
interface Prefetched {
  polled: ConsumedRecord[];
  outcomes: Map<ConsumedRecord, DecodeOutcome>;
  /** When its collection began (Date.now()). */
  started: number;
}

/** Splits decoded records into the batch for the store and the dead letters. */
function splitBatch(
  records: ConsumedRecord[],
  outcomes: Map<ConsumedRecord, DecodeOutcome>,
): { batch: SinkBatch; dead: DeadRecord[]; bytes: number } {
  const decoded: DecodedRecord[] = [];
  const dead: DeadRecord[] = [];
  const lastOffsets = new Map<number, bigint>();
  let bytes = 0;
  for (const record of records) {
    bytes += record.value.byteLength;
    const last = lastOffsets.get(record.partition);
    if (last === undefined || record.offset > last) {
      lastOffsets.set(record.partition, record.offset);
    }
    const outcome = outcomes.get(record)!;
    if (outcome.ok) decoded.push({ event: outcome.event, record });
    else dead.push({ record, reason: outcome.reason });
  }
  return { batch: { records: decoded, lastOffsets }, dead, bytes };
}

/** Per partition, the offset after the last one in the batch. */
function nextOffsets(lastOffsets: Map<number, bigint>): Map<number, bigint> {
  return new Map([...lastOffsets].map(([partition, offset]) => [partition, offset + 1n]));
}
