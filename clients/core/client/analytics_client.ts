/**
 * The client every channel's client is built on: it makes events (id and time fixed at
 * creation), keeps them in a bounded, persisted queue, sends them in batches (by count, or after
 * a delay), retries with exponential backoff and full jitter what was not stored, reports what
 * was rejected once and drops it, and tracks sessions and identity.
 *
 * Sending rules, per answer of `Track`:
 * - `ACCEPTED`: done. `REJECTED`: `onRejected` once, dropped, never retried.
 * - `NOT_STORED` (or no result for an event): back to the front of the queue; retry after backoff.
 * - the call failed with `unavailable`, `resource_exhausted` or a network error: the whole batch
 *   goes back; retry after backoff. Any other call error (`unauthenticated`, ...): `onError` with
 *   the batch, which is dropped (sending it again would fail the same way).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import {
  type Channel,
  ClientContextSchema,
  type Event,
  IngestService,
  Outcome,
  TrackRequestSchema,
} from "@analytics/schema";
import { type Scheduler, systemScheduler, type TimerHandle } from "../clock/scheduler.ts";
import { type EventInit, newEvent } from "../event/new_event.ts";
import { EventQueue } from "../queue/event_queue.ts";
import { backoffDelay, type BackoffOptions } from "../retry/backoff.ts";
import { isRetryableError } from "../retry/retryable.ts";
import { Identity } from "../session/identity.ts";
import { SessionTracker } from "../session/session_tracker.ts";
import { MemoryStorage } from "../storage/memory_storage.ts";
import type { StorageAdapter } from "../storage/storage_adapter.ts";
import type { ClientTransport } from "../transport/client_transport.ts";

/** An event the ingest refused, and why. */
export interface Rejection {
  event: Event;
  /** Path of the offending field, e.g. "events[3].session_id". */
  field: string;
  reason: string;
}

/** Options of AnalyticsClient.open. */
export interface AnalyticsClientOptions {
  transport: ClientTransport;
  /** The channel of the events this client makes (an event may override it). */
  channel: Channel;
  /** Platform within the channel, e.g. "node", "slack", "claude-code". */
  platform?: string;
  /** The library that made the events, recorded in `client`. */
  library?: { name: string; version: string };
  /** Where the queue and ids are kept. Default: memory only. */
  storage?: StorageAdapter;
  /** Most events held while they cannot be sent; the oldest go first. Default 10,000. */
  queueCapacity?: number;
  /** Events per request (the ingest takes at most 500). Default 100. */
  maxBatchEvents?: number;
  /**
   * Most bytes of encoded events per request, below the ingest's `INGEST_MAX_REQUEST_BYTES`
   * (1 MiB by default). Default 512 KiB (binary Protobuf; Connect JSON is larger, so lower it for
   * JSON).
   */
  maxBatchBytes?: number;
  /** Longest wait before a batch that is not full is sent. Default 2 s. */
  flushIntervalMs?: number;
  /** Retry waits. Defaults: base 500 ms, cap 60 s. */
  backoff?: BackoffOptions;
  /** Inactivity that starts a new session. Default 30 minutes. */
  sessionTimeoutMs?: number;
  /** Deadline of one call. Default 10 s. */
  callTimeoutMs?: number;
  /** Clock and timers. Default: the system's. */
  scheduler?: Scheduler;
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
  /** Told once about each rejected event (which is then dropped). */
  onRejected?: (rejection: Rejection) => void;
  /** Told about a call that failed for good (the batch is dropped) or storage that failed. */
  onError?: (error: unknown, dropped: readonly Event[]) => void;
}

/** What one `flush` did. */
export interface FlushResult {
  accepted: number;
  rejected: number;
  /** Events still queued (waiting for a retry, or made during the flush). */
  remaining: number;
  /** The retryable failure that ended the flush early, if any. */
  retryError?: unknown;
}

/** Counters since the client was opened. */
export interface ClientStats {
  accepted: number;
  rejected: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Dropped after a call failed for good. */
  failed: number;
  /** Requests sent again after a retryable failure. */
  retries: number;
  queued: number;
}

/** The shared analytics client; channel clients wrap it. */
export class AnalyticsClient {
  readonly #options: AnalyticsClientOptions;
  readonly #ingest;
  readonly #queue: EventQueue;
  readonly #identity: Identity;
  readonly #sessions: SessionTracker;
  readonly #scheduler: Scheduler;
  readonly #random: () => number;
  readonly #maxBatch: number;
  #flushTimer?: TimerHandle;
  #retryTimer?: TimerHandle;
  #attempt = 0;
  #flushing: Promise<FlushResult> = Promise.resolve({ accepted: 0, rejected: 0, remaining: 0 });
  #closed = false;
  #stats = { accepted: 0, rejected: 0, failed: 0, retries: 0 };

  private constructor(options: AnalyticsClientOptions, queue: EventQueue, identity: Identity) {
    this.#options = options;
    this.#ingest = createClient(IngestService, options.transport.transport);
    this.#queue = queue;
    this.#identity = identity;
    this.#sessions = new SessionTracker({ timeoutMs: options.sessionTimeoutMs });
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#random = options.random ?? Math.random;
    this.#maxBatch = options.maxBatchEvents ?? 100;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1 || this.#maxBatch > 500) {
      throw new RangeError(
        `maxBatchEvents must be 1-500 (the ingest's limit), got ${this.#maxBatch}`,
      );
    }
  }

  /** Opens a client: loads the ids and any queue a previous run left, and sends that queue. */
  static async open(options: AnalyticsClientOptions): Promise<AnalyticsClient> {
    const storage = options.storage ?? new MemoryStorage();
    const report = options.onError ?? reportToConsole;
    const queue = new EventQueue({
      capacity: options.queueCapacity,
      storage,
      onPersistError: (error) => report(error, []),
    });
    await queue.load();
    const client = new AnalyticsClient(options, queue, await Identity.load(storage));
    if (queue.size > 0) client.#scheduleFlush(0);
    return client;
  }

  /** The persistent anonymous id. */
  get anonymousId(): string {
    return this.#identity.anonymousId;
  }

  /** The identified user id, or "". */
  get userId(): string {
    return this.#identity.userId;
  }

  /** Counters since the client was opened. */
  get stats(): ClientStats {
    return { ...this.#stats, dropped: this.#queue.dropped, queued: this.#queue.size };
  }

  /**
   * Records an event: id and time fixed now; channel, platform, session, anonymous and user ids
   * and the library filled in where `init` leaves them empty. Returns the queued event.
   */
  track(init: EventInit): Event {
    if (this.#closed) {
      throw new Error("the analytics client is shut down: track() after shutdown()");
    }
    const now = this.#scheduler.now();
    const event = newEvent(init, now);
    if (!event.channel) event.channel = this.#options.channel;
    if (!event.platform && this.#options.platform) event.platform = this.#options.platform;
    if (!event.sessionId) event.sessionId = this.#sessions.touch(now);
    if (!event.anonymousId) event.anonymousId = this.#identity.anonymousId;
    if (!event.userId) event.userId = this.#identity.userId;
    const library = this.#options.library;
    if (library && !event.client?.libraryName) {
      event.client ??= create(ClientContextSchema);
      event.client.libraryName = library.name;
      event.client.libraryVersion = library.version;
    }
    this.#queue.push(event);
    if (this.#retryTimer === undefined) {
      if (this.#queue.size >= this.#maxBatch) {
        if (this.#flushTimer !== undefined) this.#scheduler.clearTimer(this.#flushTimer);
        this.#flushTimer = undefined;
        this.#scheduleFlush(0);
      } else this.#scheduleFlush(this.#options.flushIntervalMs ?? 2000);
    }
    return event;
  }

  /** Links the anonymous id to `userId` (an `identify` event); later events carry the user id. */
  async identify(userId: string, traits: Record<string, unknown> = {}): Promise<Event> {
    await this.#identity.setUser(userId);
    return this.track({
      eventType: "identify",
      eventCategory: "identity",
      userId,
      properties: traits as EventInit["properties"],
    });
  }

  /** Forgets the user, makes a new anonymous id and starts a new session (a logout). */
  async reset(): Promise<void> {
    await this.#identity.reset();
    this.#sessions.reset();
  }

  /** Sends everything queued now, in batches; stops at the first retryable failure. */
  flush(): Promise<FlushResult> {
    // A failed flush (a bug, not a failed call: those are handled) must not block later ones.
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#drain());
    return this.#flushing;
  }

  #flushInBackground(): void {
    this.flush().catch((error) => this.#report(error, []));
  }

  /**
   * Stops taking events and sends what is queued, retrying until `timeoutMs` (default 10 s);
   * what could not be sent stays in storage for the next run. Closes the transport.
   */
  async shutdown(options: { timeoutMs?: number } = {}): Promise<ClientStats> {
    this.#closed = true;
    const deadline = this.#scheduler.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      this.#cancelTimers();
      const result = await this.flush();
      this.#cancelTimers();
      const left = deadline - this.#scheduler.now();
      if (result.remaining === 0 || left <= 0) break;
      const wait = Math.min(
        left,
        backoffDelay(this.#attempt++, this.#random, this.#options.backoff),
      );
      await new Promise<void>((resolve) => this.#scheduler.setTimer(resolve, wait));
    }
    await this.#queue.persisted();
    this.#options.transport.close();
    return this.stats;
  }

  async #drain(): Promise<FlushResult> {
    this.#cancelTimers();
    const result: FlushResult = { accepted: 0, rejected: 0, remaining: 0 };
    while (this.#queue.size > 0) {
      const batch = this.#queue.take(this.#maxBatch, this.#options.maxBatchBytes ?? 512 * 1024);
      const sentAt = timestampFromMs(this.#scheduler.now());
      for (const event of batch) event.sentAt = sentAt;
      if (this.#attempt > 0) this.#stats.retries++;
      let retry: Event[];
      try {
        const answer = await this.#ingest.track(
          create(TrackRequestSchema, { events: batch, sentAt }),
          {
            timeoutMs: this.#options.callTimeoutMs ?? 10_000,
          },
        );
        retry = this.#settleAnswer(batch, answer.results, result);
      } catch (error) {
        if (!isRetryableError(error)) {
          this.#queue.settle(batch);
          this.#stats.failed += batch.length;
          this.#report(error, batch);
          continue;
        }
        this.#queue.settle(batch, batch);
        result.retryError = error;
        break;
      }
      if (retry.length > 0) {
        result.retryError = new Error(`${retry.length} events not stored`);
        break;
      }
      this.#attempt = 0;
    }
    if (result.retryError !== undefined) this.#scheduleRetry();
    result.remaining = this.#queue.size;
    return result;
  }

  /** Applies the per-event outcomes; returns the events to send again. */
  #settleAnswer(
    batch: Event[],
    results: readonly { index: number; outcome: Outcome; field: string; reason: string }[],
    into: FlushResult,
  ): Event[] {
    const outcomes = new Map(results.map((r) => [r.index, r]));
    const retry: Event[] = [];
    const rejected: Rejection[] = [];
    let accepted = 0;
    batch.forEach((event, index) => {
      const result = outcomes.get(index);
      if (result?.outcome === Outcome.ACCEPTED) accepted++;
      else if (result?.outcome === Outcome.REJECTED) {
        rejected.push({ event, field: result.field, reason: result.reason });
      } else retry.push(event);
    });
    this.#queue.settle(batch, retry);
    into.accepted += accepted;
    into.rejected += rejected.length;
    this.#stats.accepted += accepted;
    this.#stats.rejected += rejected.length;
    for (const rejection of rejected) this.#options.onRejected?.(rejection);
    return retry;
  }

  #report(error: unknown, dropped: readonly Event[]): void {
    (this.#options.onError ?? reportToConsole)(error, dropped);
  }

  #scheduleFlush(ms: number): void {
    if (this.#flushTimer !== undefined || this.#closed && ms > 0) return;
    this.#flushTimer = this.#scheduler.setTimer(() => {
      this.#flushTimer = undefined;
      this.#flushInBackground();
    }, ms);
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    const delay = backoffDelay(this.#attempt++, this.#random, this.#options.backoff);
    this.#retryTimer = this.#scheduler.setTimer(() => {
      this.#retryTimer = undefined;
      this.#flushInBackground();
    }, delay);
  }

  #cancelTimers(): void {
    if (this.#flushTimer !== undefined) this.#scheduler.clearTimer(this.#flushTimer);
    if (this.#retryTimer !== undefined) this.#scheduler.clearTimer(this.#retryTimer);
    this.#flushTimer = undefined;
    this.#retryTimer = undefined;
  }
}

/** The default `onError`: the error and how many events it cost, on the console. */
function reportToConsole(error: unknown, dropped: readonly Event[]): void {
  console.error(`analytics client: ${dropped.length} events dropped:`, error);
}
