/**
 * Writes the latest value of one storage key, coalesced: at most one write in progress and one
 * pending, and the pending one computes its value when it starts, so a burst of changes costs
 * two writes and the last state always lands, in order.
 *
 * @module
 */
import type { StorageAdapter } from "./storage_adapter.ts";

/** Keeps one key of a storage adapter up to date with a value computed on demand. */
export class CoalescedWriter {
  readonly #storage: StorageAdapter;
  readonly #key: string;
  readonly #onError: (error: unknown) => void;
  #writing?: Promise<void>;
  #dirty = false;
  #latest: () => string = () => "";

  /** Writes `key` of `storage`; a failed write goes to `onError` (and is retried next change). */
  constructor(storage: StorageAdapter, key: string, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#key = key;
    this.#onError = onError;
  }

  /** Marks the value changed: `value()` is called when the next write starts. */
  write(value: () => string): void {
    this.#latest = value;
    this.#dirty = true;
    if (this.#writing) return;
    this.#writing = (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          await this.#storage.set(this.#key, this.#latest());
        }
      } finally {
        this.#writing = undefined;
      }
    })();
    this.#writing.catch((error) => this.#onError(error));
  }

  /** Resolves once the latest value is in storage (or its write failed and was reported). */
  async settled(): Promise<void> {
    while (this.#writing) await this.#writing.catch(() => {});
  }
}
