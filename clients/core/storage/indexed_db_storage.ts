/**
 * The IndexedDB adapter for browsers: asynchronous, far larger quotas than localStorage, and
 * each `set` is its own read-write transaction, so it lands whole or not at all. Transactions on
 * one store run in the order they were made, so writes of a key apply in call order.
 *
 * @module
 */
import type { StorageAdapter } from "./storage_adapter.ts";

// The few IndexedDB types used here, so this module type-checks without the DOM library.
interface IdbRequest<T = unknown> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface IdbObjectStore {
  get(key: string): IdbRequest;
  put(value: string, key: string): IdbRequest;
  delete(key: string): IdbRequest;
}
interface IdbTransaction {
  readonly error: unknown;
  objectStore(name: string): IdbObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
interface IdbDatabase {
  transaction(store: string, mode: "readonly" | "readwrite"): IdbTransaction;
  createObjectStore(name: string): unknown;
  close(): void;
}
/** The part of `indexedDB` (an IdbFactory) this adapter uses. */
export interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

/** Stores keys in the object store `store` of the database `database` (out-of-line keys). */
export class IndexedDbStorage implements StorageAdapter {
  readonly #database: string;
  readonly #store: string;
  readonly #factory: IdbFactory;
  #db?: Promise<IdbDatabase>;

  /** Uses the database "analytics" and its store "kv" unless told otherwise. */
  constructor(options: { database?: string; store?: string; indexedDB?: IdbFactory } = {}) {
    const factory = options.indexedDB ??
      (globalThis as { indexedDB?: IdbFactory }).indexedDB;
    if (!factory) throw new Error("IndexedDB is not available here");
    this.#factory = factory;
    this.#database = options.database ?? "analytics";
    this.#store = options.store ?? "kv";
  }

  /** The stored value, or undefined. */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#run("readonly", (store) => store.get(key));
    return typeof value === "string" ? value : undefined;
  }

  /** Writes the key in its own transaction, resolved once the transaction committed. */
  async set(key: string, value: string): Promise<void> {
    await this.#run("readwrite", (store) => store.put(value, key));
  }

  /** Removes the key. */
  async remove(key: string): Promise<void> {
    await this.#run("readwrite", (store) => store.delete(key));
  }

  /** Closes the database connection (a later call opens it again). */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db).close();
  }

  async #run(
    mode: "readonly" | "readwrite",
    op: (store: IdbObjectStore) => IdbRequest,
  ): Promise<unknown> {
    const db = await this.#open();
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(this.#store, mode);
      const request = op(tx.objectStore(this.#store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error);
      tx.onabort = () => reject(tx.error ?? new Error(`IndexedDB transaction aborted`));
    });
  }

  #open(): Promise<IdbDatabase> {
    this.#db ??= new Promise((resolve, reject) => {
      const request = this.#factory.open(this.#database, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(this.#store);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`IndexedDB "${this.#database}" is blocked`));
    });
    this.#db.catch(() => this.#db = undefined);
    return this.#db;
  }
}
