/**
 * The localStorage adapter for browsers (and Deno, which has localStorage too): synchronous,
 * small (about 5 MiB per origin), and each `setItem` is atomic. Keys are prefixed so the
 * client's keys cannot clash with the page's own.
 *
 * @module
 */
import type { StorageAdapter } from "./storage_adapter.ts";

/** Stores each key as `<prefix><key>` in a Web Storage object (localStorage by default). */
export class LocalStorageAdapter implements StorageAdapter {
  readonly #storage: Storage;
  readonly #prefix: string;

  /** Uses `storage` (default `globalThis.localStorage`), keys prefixed with `prefix`. */
  constructor(options: { storage?: Storage; prefix?: string } = {}) {
    const storage = options.storage ?? globalThis.localStorage;
    if (!storage) throw new Error("localStorage is not available here");
    this.#storage = storage;
    this.#prefix = options.prefix ?? "analytics:";
  }

  /** The stored value, or undefined. */
  get(key: string): Promise<string | undefined> {
    try {
      return Promise.resolve(this.#storage.getItem(this.#prefix + key) ?? undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sets the key; rejects with the browser's error when the quota is exceeded. */
  set(key: string, value: string): Promise<void> {
    try {
      this.#storage.setItem(this.#prefix + key, value);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Removes the key. */
  remove(key: string): Promise<void> {
    try {
      this.#storage.removeItem(this.#prefix + key);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
