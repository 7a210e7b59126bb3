/**
 * The bounded queue of events waiting to be sent, for any event representation (Protobuf
 * messages for servers, Connect JSON objects for browsers). When full, the oldest event is
 * dropped (and counted) to make room: fresh events are worth more than old ones, and memory and
 * storage stay bounded while a device is offline. The queue, in-flight events included, is
 * persisted through a storage adapter after each change (coalesced writes) as a JSON array of
 * the codec's encoded events, so a restarted process or a reloaded page sends what was left.
 *
 * @module
 */
import { CoalescedWriter } from "../storage/coalesced_writer.ts";
import type { StorageAdapter } from "../storage/storage_adapter.ts";

/** How a queue stores and sizes its events. */
export interface EventCodec<E> {
  /** A JSON-serialisable form of `event` for storage. */
  encode(event: E): unknown;
  /** The event back from its stored form. */
  decode(stored: unknown): E;
  /** Bytes `event` takes in a request (with its framing), to bound a batch. */
  size(event: E): number;
}

/** Options of a BoundedQueue. */
export interface BoundedQueueOptions {
  /** Most events held (queued and in flight). Default 10,000. */
  capacity?: number;
  /** Where the queue is persisted; nothing is persisted when absent. */
  storage?: StorageAdapter;
  /** Storage key. Default "analytics_queue". */
  key?: string;
  /** Told when persisting failed (the events stay in memory and are written again next time). */
  onPersistError?: (error: unknown) => void;
}

/** A FIFO of events bounded by count, dropping the oldest first. */
export class BoundedQueue<E> {
  readonly capacity: number;
  #events: E[] = [];
  #inFlight: E[] = [];
  #dropped = 0;
  readonly #codec: EventCodec<E>;
  readonly #storage?: StorageAdapter;
  readonly #key: string;
  readonly #writer?: CoalescedWriter;

  /** An empty queue; call `load()` to restore a persisted one. */
  constructor(codec: EventCodec<E>, options: BoundedQueueOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${this.capacity}`);
    }
    this.#codec = codec;
    this.#storage = options.storage;
    this.#key = options.key ?? "analytics_queue";
    const onError = options.onPersistError ?? ((error) => {
      throw error;
    });
    if (this.#storage) this.#writer = new CoalescedWriter(this.#storage, this.#key, onError);
  }

  /** Restores the persisted events (in-flight ones of a previous run included), oldest first. */
  async load(): Promise<void> {
    const stored = await this.#storage?.get(this.#key);
    if (stored === undefined) return;
    const encoded = JSON.parse(stored) as unknown[];
    const restored = encoded.map((e) => this.#codec.decode(e));
    this.#events = [...restored, ...this.#events];
    this.#trim();
  }

  /**
   * Takes over the events persisted under another key (a queue its owner left, e.g. a closed
   * browser tab's): they join this queue, it is persisted, and then the other key is removed.
   * Returns how many events were taken over.
   */
  async adopt(key: string): Promise<number> {
    if (!this.#storage || key === this.#key) return 0;
    const stored = await this.#storage.get(key);
    const adopted = stored === undefined
      ? []
      : (JSON.parse(stored) as unknown[]).map((e) => this.#codec.decode(e));
    if (adopted.length > 0) {
      this.#events = [...adopted, ...this.#events];
      this.#trim();
      this.#persist();
      await this.persisted();
    }
    await this.#storage.remove(key);
    return adopted.length;
  }

  /** Events waiting (not in flight). */
  get size(): number {
    return this.#events.length;
  }

  /** Events taken by `take` and not yet settled. */
  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** How many events were dropped because the queue was full, since it was made. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Appends events, dropping the oldest waiting ones beyond the capacity. */
  push(...events: E[]): void {
    this.#events.push(...events);
    this.#trim();
    this.#persist();
  }

  /**
   * Takes up to `max` of the oldest events, and no more than `maxBytes` of them by the codec's
   * size (always at least one, unless `atLeastOne` is false), to send; settle them with `settle`.
   */
  take(max: number, maxBytes: number = Infinity, atLeastOne = true): E[] {
    let count = 0;
    let bytes = 0;
    while (count < Math.min(max, this.#events.length)) {
      bytes += this.#codec.size(this.#events[count]);
      if ((count > 0 || !atLeastOne) && bytes > maxBytes) break;
      count++;
    }
    const batch = this.#events.splice(0, count);
    this.#inFlight.push(...batch);
    return batch;
  }

  /** Ends the flight of `sent`; those in `retry` go back to the front of the queue. */
  settle(sent: readonly E[], retry: readonly E[] = []): void {
    const done = new Set(sent);
    this.#inFlight = this.#inFlight.filter((e) => !done.has(e));
    this.#events.unshift(...retry);
    this.#trim();
    this.#persist();
  }

  /** Resolves once the latest state is in storage (or its write failed and was reported). */
  async persisted(): Promise<void> {
    await this.#writer?.settled();
  }

  #trim(): void {
    const over = this.#events.length + this.#inFlight.length - this.capacity;
    if (over > 0) {
      const drop = Math.min(over, this.#events.length);
      this.#events.splice(0, drop);
      this.#dropped += drop;
    }
  }

  #persist(): void {
    this.#writer?.write(() =>
      JSON.stringify([...this.#inFlight, ...this.#events].map((e) => this.#codec.encode(e)))
    );
  }
}
