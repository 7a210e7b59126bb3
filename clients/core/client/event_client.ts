/**
 * The client every channel's client is built on, for any event representation (see
 * `EventFormat`): it makes events (id and time fixed at creation), keeps them in a bounded,
 * persisted queue, sends them in batches (by count, or after a delay), retries with exponential
 * backoff and full jitter what was not stored, reports what was rejected once and drops it, and
 * tracks sessions (persisted, so a reloaded page keeps its session) and identity.
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
import { type Scheduler, systemScheduler, type TimerHandle } from "../clock/scheduler.ts";
import { BoundedQueue, type EventCodec } from "../queue/bounded_queue.ts";
import { backoffDelay, type BackoffOptions } from "../retry/backoff.ts";
import { isRetryableError } from "../retry/retryable.ts";
import { Identity } from "../session/identity.ts";
import { SessionTracker } from "../session/session_tracker.ts";
import { CoalescedWriter } from "../storage/coalesced_writer.ts";
import { MemoryStorage } from "../storage/memory_storage.ts";
import type { StorageAdapter } from "../storage/storage_adapter.ts";
import type { EventFormat, EventResult } from "./event_format.ts";

const SESSION_KEY = "analytics_session";

/** An event the ingest refused, and why. */
export interface Rejection<E> {
  event: E;
  /** Path of the offending field, e.g. "events[3].session_id". */
  field: string;
  reason: string;
}

/** Options of a client, whatever its event representation. */
export interface EventClientOptions<E> {
  /** Where the queue, ids and session are kept. Default: memory only. */
  storage?: StorageAdapter;
  /** Most events held while they cannot be sent; the oldest go first. Default 10,000. */
  queueCapacity?: number;
  /** Storage key of the queue (one per writer: a browser tab, a process). Default "analytics_queue". */
  queueKey?: string;
  /** Events per request (the ingest takes at most 500). Default 100. */
  maxBatchEvents?: number;
  /**
   * Most bytes of encoded events per request, below the ingest's `INGEST_MAX_REQUEST_BYTES`
   * (1 MiB by default). Default 512 KiB.
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
  onRejected?: (rejection: Rejection<E>) => void;
  /** Told about a call that failed for good (the batch is dropped) or storage that failed. */
  onError?: (error: unknown, dropped: readonly E[]) => void;
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

/** Limits of `flushKeepalive`. */
export interface KeepaliveOptions {
  /**
   * Bytes of events sent in all keepalive requests together. Browsers refuse a keepalive request
   * once the bodies in flight pass 64 KiB. Default 60 KiB.
   */
  maxTotalBytes?: number;
  /** Bytes of events per request body. Default 16 KiB. */
  maxBodyBytes?: number;
}

/** The loaded parts a client starts from (see `EventClient.load`). */
export interface LoadedState<E> {
  queue: BoundedQueue<E>;
  identity: Identity;
  sessions: SessionTracker;
  storage: StorageAdapter;
}

/** The shared client over an event format; channel clients wrap it or a subclass. */
export class EventClient<E, I> {
  readonly #options: EventClientOptions<E>;
  readonly #format: EventFormat<E, I>;
  readonly #queue: BoundedQueue<E>;
  readonly #identity: Identity;
  readonly #sessions: SessionTracker;
  readonly #sessionWriter: CoalescedWriter;
  readonly #scheduler: Scheduler;
  readonly #random: () => number;
  readonly #maxBatch: number;
  #flushTimer?: TimerHandle;
  #retryTimer?: TimerHandle;
  #attempt = 0;
  #flushing: Promise<FlushResult> = Promise.resolve({ accepted: 0, rejected: 0, remaining: 0 });
  #closed = false;
  readonly #keepalives = new Set<Promise<void>>();
  #stats = { accepted: 0, rejected: 0, failed: 0, retries: 0 };

  /** Use `EventClient.open` (or a channel client's opener). */
  protected constructor(
    format: EventFormat<E, I>,
    options: EventClientOptions<E>,
    state: LoadedState<E>,
  ) {
    this.#options = options;
    this.#format = format;
    this.#queue = state.queue;
    this.#identity = state.identity;
    this.#sessions = state.sessions;
    this.#sessionWriter = new CoalescedWriter(
      state.storage,
      SESSION_KEY,
      (error) => this.#report(error, []),
    );
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#random = options.random ?? Math.random;
    this.#maxBatch = options.maxBatchEvents ?? 100;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1 || this.#maxBatch > 500) {
      throw new RangeError(
        `maxBatchEvents must be 1-500 (the ingest's limit), got ${this.#maxBatch}`,
      );
    }
    if (this.#queue.size > 0) this.#scheduleFlush(0);
  }

  /** Loads the queue, ids and session a previous run (or page) left in the storage. */
  static async load<E>(
    codec: EventCodec<E>,
    options: EventClientOptions<E>,
  ): Promise<LoadedState<E>> {
    const storage = options.storage ?? new MemoryStorage();
    const report = options.onError ?? reportToConsole;
    const queue = new BoundedQueue(codec, {
      capacity: options.queueCapacity,
      key: options.queueKey,
      storage,
      onPersistError: (error) => report(error, []),
    });
    await queue.load();
    const sessions = new SessionTracker({ timeoutMs: options.sessionTimeoutMs });
    const stored = await storage.get(SESSION_KEY);
    if (stored !== undefined) sessions.restore(JSON.parse(stored));
    return { queue, identity: await Identity.load(storage), sessions, storage };
  }

  /** Opens a client: loads what the storage holds and sends any queue a previous run left. */
  static async openWith<E, I>(
    format: EventFormat<E, I>,
    options: EventClientOptions<E> = {},
  ): Promise<EventClient<E, I>> {
    return new EventClient(format, options, await EventClient.load(format, options));
  }

  /** The persistent anonymous id. */
  get anonymousId(): string {
    return this.#identity.anonymousId;
  }

  /** The identified user id, or "". */
  get userId(): string {
    return this.#identity.userId;
  }

  /** The current session id ("" before the first event). */
  get sessionId(): string {
    return this.#sessions.state.id;
  }

  /** Counters since the client was opened. */
  get stats(): ClientStats {
    return { ...this.#stats, dropped: this.#queue.dropped, queued: this.#queue.size };
  }

  /**
   * Records an event: id and time fixed now; channel, platform, session, anonymous and user ids
   * and the library filled in where `init` leaves them empty. Returns the queued event.
   */
  track(init: I): E {
    if (this.#closed) {
      throw new Error("the analytics client is shut down: track() after shutdown()");
    }
    const now = this.#scheduler.now();
    const event = this.#format.create(init, now, {
      sessionId: () => {
        const id = this.#sessions.touch(now);
        this.#sessionWriter.write(() => JSON.stringify(this.#sessions.state));
        return id;
      },
      anonymousId: this.#identity.anonymousId,
      userId: this.#identity.userId,
    });
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

  /**
   * Links the anonymous id to `userId` (an `identify` event); later events carry the user id.
   * `fields` adds to the event what a channel client puts on all of its events (its context).
   */
  async identify(
    userId: string,
    traits: Record<string, unknown> = {},
    fields?: Partial<I>,
  ): Promise<E> {
    await this.#identity.setUser(userId);
    return this.track({ ...this.#format.identifyInit(userId, traits), ...fields });
  }

  /** Forgets the user, makes a new anonymous id and starts a new session (a logout). */
  async reset(): Promise<void> {
    await this.#identity.reset();
    this.#sessions.reset();
    this.#sessionWriter.write(() => JSON.stringify(this.#sessions.state));
  }

  /** Sends everything queued now, in batches; stops at the first retryable failure. */
  flush(): Promise<FlushResult> {
    // A failed flush (a bug, not a failed call: those are handled) must not block later ones.
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#drain());
    return this.#flushing;
  }

  /**
   * The page is being hidden or unloaded: sends the waiting events at once in requests that
   * outlive the page (fetch `keepalive`), bodies split to stay under the browser's keepalive
   * limit. The events stay persisted as in flight until an answer settles them, so if the page
   * dies first a later page sends them again (the stores deduplicate on id and time). Events
   * beyond `maxTotalBytes` wait in storage for the next page. Returns the number sent.
   */
  flushKeepalive(options: KeepaliveOptions = {}): number {
    let budget = options.maxTotalBytes ?? 60 * 1024;
    const bodyBytes = Math.min(options.maxBodyBytes ?? 16 * 1024, budget);
    let sent = 0;
    while (this.#queue.size > 0 && budget > 0) {
      const batch = this.#queue.take(this.#maxBatch, Math.min(bodyBytes, budget), false);
      if (batch.length === 0) break;
      for (const event of batch) budget -= this.#format.size(event);
      sent += batch.length;
      const call = this.#format.send(batch, this.#scheduler.now(), {
        timeoutMs: this.#options.callTimeoutMs ?? 10_000,
        keepalive: true,
      }).then(
        (results) => void this.#settleAnswer(batch, results),
        (error) => {
          if (isRetryableError(error)) this.#queue.settle(batch, batch);
          else this.#fail(batch, error);
        },
      ).finally(() => this.#keepalives.delete(call));
      this.#keepalives.add(call);
    }
    return sent;
  }

  /**
   * Takes over the queue another writer left under `queueKey` (a closed tab's) and sends it.
   * The caller must know that writer is gone. Returns how many events were taken over.
   */
  async adoptQueue(queueKey: string): Promise<number> {
    const adopted = await this.#queue.adopt(queueKey);
    if (adopted > 0 && this.#retryTimer === undefined) this.#scheduleFlush(0);
    return adopted;
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
    await Promise.all(this.#keepalives);
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
    await this.#sessionWriter.settled();
    this.#format.close();
    return this.stats;
  }

  async #drain(): Promise<FlushResult> {
    this.#cancelTimers();
    const result: FlushResult = { accepted: 0, rejected: 0, remaining: 0 };
    while (this.#queue.size > 0) {
      const batch = this.#queue.take(this.#maxBatch, this.#options.maxBatchBytes ?? 512 * 1024);
      if (this.#attempt > 0) this.#stats.retries++;
      let retry: E[];
      try {
        const results = await this.#format.send(batch, this.#scheduler.now(), {
          timeoutMs: this.#options.callTimeoutMs ?? 10_000,
        });
        const settled = this.#settleAnswer(batch, results);
        result.accepted += settled.accepted;
        result.rejected += settled.rejected;
        retry = settled.retry;
      } catch (error) {
        if (!isRetryableError(error)) {
          this.#fail(batch, error);
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

  /** Applies the per-event outcomes; returns the counts and the events to send again. */
  #settleAnswer(
    batch: E[],
    results: readonly EventResult[],
  ): { accepted: number; rejected: number; retry: E[] } {
    const outcomes = new Map(results.map((r) => [r.index, r]));
    const retry: E[] = [];
    const rejected: Rejection<E>[] = [];
    let accepted = 0;
    batch.forEach((event, index) => {
      const result = outcomes.get(index);
      if (result?.outcome === "accepted") accepted++;
      else if (result?.outcome === "rejected") {
        rejected.push({ event, field: result.field, reason: result.reason });
      } else retry.push(event);
    });
    this.#queue.settle(batch, retry);
    this.#stats.accepted += accepted;
    this.#stats.rejected += rejected.length;
    for (const rejection of rejected) this.#options.onRejected?.(rejection);
    return { accepted, rejected: rejected.length, retry };
  }

  #fail(batch: E[], error: unknown): void {
    this.#queue.settle(batch);
    this.#stats.failed += batch.length;
    this.#report(error, batch);
  }

  #report(error: unknown, dropped: readonly E[]): void {
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
function reportToConsole(error: unknown, dropped: readonly unknown[]): void {
  console.error(`analytics client: ${dropped.length} events dropped:`, error);
}
