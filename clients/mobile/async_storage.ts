/**
 * The core's storage interface over React Native's AsyncStorage (or any store with its shape),
 * so the queue of unsent events and the ids survive the app being killed.
 *
 * @module
 */
import type { StorageAdapter } from "@analytics/client-core";

/** The part of `@react-native-async-storage/async-storage` this adapter uses. */
export interface AsyncStorageLike {
  /** The value of `key`, or null when absent. */
  getItem(key: string): Promise<string | null>;
  /** Replaces the value of `key`. */
  setItem(key: string, value: string): Promise<void>;
  /** Removes `key`. */
  removeItem(key: string): Promise<void>;
}

/**
 * A StorageAdapter over AsyncStorage, every key under `prefix` (default "@analytics/") so the
 * app's own keys are never touched. AsyncStorage writes one key atomically, as the core needs.
 */
export class AsyncStorageAdapter implements StorageAdapter {
  readonly #store: AsyncStorageLike;
  readonly #prefix: string;

  /** Wraps `store` (pass the AsyncStorage default export). */
  constructor(store: AsyncStorageLike, options: { prefix?: string } = {}) {
    this.#store = store;
    this.#prefix = options.prefix ?? "@analytics/";
  }

  /** The value of `key`, or undefined when absent. */
  async get(key: string): Promise<string | undefined> {
    return (await this.#store.getItem(this.#prefix + key)) ?? undefined;
  }

  /** Replaces the value of `key`. */
  set(key: string, value: string): Promise<void> {
    return this.#store.setItem(this.#prefix + key, value);
  }

  /** Removes `key`. */
  remove(key: string): Promise<void> {
    return this.#store.removeItem(this.#prefix + key);
  }
}
