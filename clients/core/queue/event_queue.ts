/**
 * The bounded queue of events waiting to be sent. When full, the oldest event is dropped (and
 * counted) to make room: fresh events are worth more than old ones, and memory and storage stay
 * bounded while a device is offline. The queue is persisted through a storage adapter after each
 * change (writes coalesced: at most one in progress and one pending), as binary Protobuf in
 * base64, so a restarted process or a reloaded page sends what was left.
 *
 * @module
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { type Event, EventSchema } from "@analytics/schema";
import type { StorageAdapter } from "../storage/storage_adapter.ts";

const EVENT_OVERHEAD_BYTES = 24;

/** Options of an EventQueue. */
export interface EventQueueOptions {
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
export class EventQueue {
  readonly capacity: number;
  #events: Event[] = [];
  #inFlight: Event[] = [];
  #dropped = 0;
  readonly #storage?: StorageAdapter;
  readonly #key: string;
  #writing?: Promise<void>;
  #dirty = false;
  readonly #onPersistError: (error: unknown) => void;

  /** An empty queue; call `load()` to restore a persisted one. */
  constructor(options: EventQueueOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${this.capacity}`);
    }
    this.#storage = options.storage;
    this.#key = options.key ?? "analytics_queue";
    this.#onPersistError = options.onPersistError ?? ((error) => {
      throw error;
    });
  }

  /** Restores the persisted events (in-flight ones of a previous run included), oldest first. */
  async load(): Promise<void> {
    const stored = await this.#storage?.get(this.#key);
    if (stored === undefined) return;
    const encoded = JSON.parse(stored) as string[];
    const restored = encoded.map((e) => fromBinary(EventSchema, base64Decode(e)));
    this.#events = [...restored, ...this.#events];
    this.#trim();
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
  push(...events: Event[]): void {
    this.#events.push(...events);
    this.#trim();
    this.#persist();
  }

  /**
   * Takes up to `max` of the oldest events, and no more than `maxBytes` of them encoded (always at
   * least one), to send; settle them with `settle`.
   */
  take(max: number, maxBytes: number = Infinity): Event[] {
    let count = 0;
    let bytes = 0;
    while (count < Math.min(max, this.#events.length)) {
      // Protobuf framing of a repeated field and a later sent_at add a few bytes per event.
      bytes += toBinary(EventSchema, this.#events[count]).length + EVENT_OVERHEAD_BYTES;
      if (count > 0 && bytes > maxBytes) break;
      count++;
    }
    const batch = this.#events.splice(0, count);
    this.#inFlight.push(...batch);
    return batch;
  }

  /** Ends the flight of `sent`; those in `retry` go back to the front of the queue. */
  settle(sent: readonly Event[], retry: readonly Event[] = []): void {
    const done = new Set(sent);
    this.#inFlight = this.#inFlight.filter((e) => !done.has(e));
    this.#events.unshift(...retry);
    this.#trim();
    this.#persist();
  }

  /** Resolves once the latest state is in storage (or its write failed and was reported). */
  async persisted(): Promise<void> {
    while (this.#writing) await this.#writing.catch(() => {});
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
    if (!this.#storage) return;
    this.#dirty = true;
    if (this.#writing) return;
    const storage = this.#storage;
    this.#writing = (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          const all = [...this.#inFlight, ...this.#events];
          const value = JSON.stringify(all.map((e) => base64Encode(toBinary(EventSchema, e))));
          await storage.set(this.#key, value);
        }
      } finally {
        this.#writing = undefined;
      }
    })();
    this.#writing.catch((error) => this.#onPersistError(error));
  }
}
