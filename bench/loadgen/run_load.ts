/**
 * The load run: workers take batches from one event source, send them with Track (or
 * TrackStream) at a target rate, count each event's outcome and time each call.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  type Event,
  type EventResult,
  IngestService,
  Outcome,
  TrackStreamRequestSchema,
} from "@analytics/schema";
import type { ChannelName } from "./events/channels.ts";
import { createEventSource } from "./events/source.ts";
import { openLedger } from "./ledger.ts";
import { createPacer } from "./pacer.ts";
import { type LatencySummary, summarizeLatencies } from "./stats.ts";
import { createLoadTransport, defaultUrl, type Protocol } from "./transport.ts";

/** Options of a load run. Without `events` or `durationMs` a run lasts 10 seconds. */
export interface LoadOptions {
  /** Wire protocol. Default "grpc". */
  protocol?: Protocol;
  /** Ingest base URL. Default: 127.0.0.1:50051 for gRPC, 127.0.0.1:3001 otherwise. */
  url?: string;
  /** HTTP version for connect and grpc-web. Default "1.1". */
  httpVersion?: "1.1" | "2";
  /** "track" sends one unary call per batch; "stream" sends `streamBatches` per TrackStream. */
  method?: "track" | "stream";
  /** Batches per TrackStream call. Default 10. */
  streamBatches?: number;
  /** Target events per second across all workers; 0 = as fast as possible. Default 0. */
  rate?: number;
  /** Stop after this many milliseconds. */
  durationMs?: number;
  /** Stop after sending this many events. */
  events?: number;
  /** Deadline of each call in ms (sent as the call's timeout); none by default. */
  timeoutMs?: number;
  /** Calls in flight at once. Default 8. */
  concurrency?: number;
  /** Events per batch (at most 500). Default 100. */
  batch?: number;
  /** Channels to generate. Default: all. */
  channels?: readonly ChannelName[];
  /** Write key, sent as a bearer token. */
  writeKey?: string;
  /**
   * Re-send, with the SAME event ids, the events answered NOT_STORED and every event of a call
   * that failed as a whole with a retryable code (canceled by a dying server, unavailable,
   * deadline_exceeded, unknown, internal, aborted, resource_exhausted), as the platform's
   * clients do. "track" method only.
   * Default: no retry.
   */
  retry?: RetryOptions;
  /** File to write the accepted event ids to, one per line. */
  ledgerPath?: string;
  /** Seed of the event generators. */
  seed?: number;
  /** Called about every `progressIntervalMs` with the counts so far. */
  onProgress?: (progress: LoadProgress) => void;
  /** Default 1000. */
  progressIntervalMs?: number;
  /** Stops the run early; calls in flight finish. */
  signal?: AbortSignal;
}

/** How `runLoad` retries (see `LoadOptions.retry`). */
export interface RetryOptions {
  /** Attempts per batch, the first included. Default 50. */
  maxAttempts?: number;
  /** Delay before the first retry, doubling up to 2 s. Default 200. */
  delayMs?: number;
}

const RETRYABLE_CODES = new Set([
  // A server dying mid-call resets its HTTP/2 streams, which clients see as canceled.
  Code.Canceled,
  Code.Unavailable,
  Code.DeadlineExceeded,
  Code.Unknown,
  Code.Internal,
  Code.Aborted,
  Code.ResourceExhausted,
]);

/** Counts of events by outcome so far. */
export interface LoadCounts {
  /** Events in calls made (answered or failed). */
  sent: number;
  accepted: number;
  rejected: number;
  notStored: number;
  /** Events in calls that failed as a whole (see errors). */
  failed: number;
  /** Calls made. */
  calls: number;
  /** Events sent again by `retry` (each re-send counted). */
  retried: number;
}

/** A progress report. */
export interface LoadProgress extends LoadCounts {
  elapsedMs: number;
  /** Events sent per second since the previous report. */
  rate: number;
}

/** The result of a run. */
export interface LoadSummary extends LoadCounts {
  protocol: Protocol;
  url: string;
  method: "track" | "stream";
  elapsedMs: number;
  /** Events sent per second over the whole run. */
  eventsPerSecond: number;
  /** Events accepted per second over the whole run. */
  acceptedPerSecond: number;
  /** Failed calls by Connect code name, e.g. { unavailable: 3 }. */
  errors: Record<string, number>;
  /** Rejections by field, e.g. { "events[3].session_id": 1 }, as the server named them. */
  rejectedFields: Record<string, number>;
  /** Latency of calls in milliseconds. */
  latencyMs: LatencySummary;
}

/** Runs load against an ingest and resolves with the summary once every call has finished. */
export async function runLoad(options: LoadOptions = {}): Promise<LoadSummary> {
  const protocol = options.protocol ?? "grpc";
  const url = options.url ?? defaultUrl(protocol);
  const method = options.method ?? "track";
  const batchSize = options.batch ?? 100;
  const concurrency = options.concurrency ?? 8;
  const streamBatches = options.streamBatches ?? 10;
  if (!(batchSize >= 1 && batchSize <= 500)) {
    throw new RangeError(`batch must be 1..500, got ${batchSize}`);
  }
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  if (!(streamBatches >= 1)) {
    throw new RangeError(`streamBatches must be >= 1, got ${streamBatches}`);
  }
  const limit = options.events ?? Infinity;
  const retry = options.retry && {
    maxAttempts: options.retry.maxAttempts ?? 50,
    delayMs: options.retry.delayMs ?? 200,
  };
  if (retry && method !== "track") throw new RangeError(`retry needs method "track"`);
  const durationMs = options.durationMs ?? (options.events === undefined ? 10_000 : Infinity);

  const source = createEventSource({ channels: options.channels, seed: options.seed });
  const pacer = createPacer(options.rate ?? 0);
  const { transport, close } = createLoadTransport({
    protocol,
    url,
    httpVersion: options.httpVersion,
    writeKey: options.writeKey,
  });
  const client = createClient(IngestService, transport);
  const ledger = options.ledgerPath ? await openLedger(options.ledgerPath) : undefined;

  const counts: LoadCounts = {
    sent: 0,
    accepted: 0,
    rejected: 0,
    notStored: 0,
    failed: 0,
    calls: 0,
    retried: 0,
  };
  const errors: Record<string, number> = {};
  const rejectedFields: Record<string, number> = {};
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let claimed = 0;

  /** Claims the next batch size, or 0 when the run is over. */
  const claim = (): number => {
    if (options.signal?.aborted || performance.now() >= deadline) return 0;
    const size = Math.min(batchSize, limit - claimed);
    claimed += Math.max(0, size);
    return Math.max(0, size);
  };

  const record = async (events: readonly Event[], results: readonly EventResult[], totals: {
    accepted: number;
    rejected: number;
    notStored: number;
  }) => {
    counts.sent += events.length;
    const acceptedIds: string[] = [];
    if (results.length > 0) {
      for (const result of results) {
        if (result.outcome === Outcome.ACCEPTED) {
          counts.accepted++;
          acceptedIds.push(result.eventId || events[result.index]?.eventId);
        } else if (result.outcome === Outcome.REJECTED) {
          counts.rejected++;
          rejectedFields[result.field || "(none)"] =
            (rejectedFields[result.field || "(none)"] ?? 0) + 1;
        } else if (result.outcome === Outcome.NOT_STORED) {
          counts.notStored++;
        }
      }
    } else {
      counts.accepted += totals.accepted;
      counts.rejected += totals.rejected;
      counts.notStored += totals.notStored;
    }
    await ledger?.append(acceptedIds);
  };

  const fail = (events: number, err: unknown): ConnectError => {
    const connectError = ConnectError.from(err);
    if (Deno.env.get("LOADGEN_DEBUG")) console.error(connectError);
    const code = Code[connectError.code] ?? "unknown";
    const name = code.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
    errors[name] = (errors[name] ?? 0) + 1;
    counts.sent += events;
    counts.failed += events;
    return connectError;
  };

  const trackWorker = async () => {
    for (let size = claim(); size > 0; size = claim()) {
      // An open-loop run's workers claim ahead of the pacer: a slot due after the end is not
      // waited for nor sent.
      const delay = pacer.reserve(size);
      if (performance.now() + delay >= deadline) break;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      let events: Event[] = source.batch(size);
      for (let attempt = 1; events.length > 0; attempt++) {
        const t0 = performance.now();
        let again: Event[] = [];
        try {
          const answer = await client.track({ events, sentAt: timestampNow() }, {
            timeoutMs: options.timeoutMs,
          });
          latencies.push(performance.now() - t0);
          counts.calls++;
          await record(events, answer.results, answer);
          again = answer.results.filter((r) => r.outcome === Outcome.NOT_STORED)
            .map((r) => events[r.index]).filter((e) => e !== undefined);
        } catch (err) {
          latencies.push(performance.now() - t0);
          counts.calls++;
          if (RETRYABLE_CODES.has(fail(events.length, err).code)) again = events;
        }
        if (!retry || again.length === 0 || attempt >= retry.maxAttempts) break;
        if (options.signal?.aborted) break;
        counts.retried += again.length;
        await new Promise((r) => setTimeout(r, Math.min(2000, retry.delayMs * 2 ** (attempt - 1))));
        events = again;
      }
    }
  };

  const streamWorker = async () => {
    for (;;) {
      const sentEvents: Event[] = [];
      const batches = async function* () {
        for (let i = 0; i < streamBatches; i++) {
          const size = claim();
          if (size === 0) return;
          await pacer.wait(size);
          const events = source.batch(size);
          sentEvents.push(...events);
          yield create(TrackStreamRequestSchema, { events, sentAt: timestampNow() });
        }
      };
      const t0 = performance.now();
      try {
        const answer = await client.trackStream(batches(), { timeoutMs: options.timeoutMs });
        if (sentEvents.length === 0) return;
        latencies.push(performance.now() - t0);
        counts.calls++;
        await record(sentEvents, answer.results, answer);
      } catch (err) {
        if (sentEvents.length === 0) return;
        latencies.push(performance.now() - t0);
        counts.calls++;
        fail(sentEvents.length, err);
      }
    }
  };

  let lastSent = 0;
  let lastReport = start;
  const progressTimer = options.onProgress
    ? setInterval(() => {
      const now = performance.now();
      const rate = ((counts.sent - lastSent) * 1000) / Math.max(1, now - lastReport);
      lastSent = counts.sent;
      lastReport = now;
      options.onProgress!({ ...counts, elapsedMs: now - start, rate });
    }, options.progressIntervalMs ?? 1000)
    : undefined;

  try {
    const worker = method === "stream" ? streamWorker : trackWorker;
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    clearInterval(progressTimer);
    close();
    await ledger?.close();
  }
  const elapsedMs = performance.now() - start;
  return {
    ...counts,
    protocol,
    url,
    method,
    elapsedMs,
    eventsPerSecond: (counts.sent * 1000) / elapsedMs,
    acceptedPerSecond: (counts.accepted * 1000) / elapsedMs,
    errors,
    rejectedFields,
    latencyMs: summarizeLatencies(latencies),
  };
}
