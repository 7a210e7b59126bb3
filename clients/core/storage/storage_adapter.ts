/**
 * Where a client keeps what must outlive the process or page: the queue of unsent events, the
 * anonymous id, the user id. Values are strings so every store (a file, localStorage, IndexedDB,
 * React Native's AsyncStorage) can hold them.
 *
 * @module
 */

/** A small key-value store of strings. Writes of one key must be atomic. */
export interface StorageAdapter {
  /** The value of `key`, or undefined when absent. */
  get(key: string): Promise<string | undefined>;
  /** Replaces the value of `key`, atomically: a reader sees the old or the new value, whole. */
  set(key: string, value: string): Promise<void>;
  /** Removes `key` (no error when absent). */
  remove(key: string): Promise<void>;
}
