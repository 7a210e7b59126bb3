/**
 * The in-memory storage adapter: nothing outlives the process.
 *
 * @module
 */
import type { StorageAdapter } from "./storage_adapter.ts";

/** A storage adapter over a Map; the default when none is given. */
export class MemoryStorage implements StorageAdapter {
  readonly #values = new Map<string, string>();

  /** The value of `key`, or undefined. */
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.#values.get(key));
  }

  /** Sets `key`. */
  set(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
    return Promise.resolve();
  }

  /** Removes `key`. */
  remove(key: string): Promise<void> {
    this.#values.delete(key);
    return Promise.resolve();
  }
}
