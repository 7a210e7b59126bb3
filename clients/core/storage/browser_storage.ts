/**
 * Picks the best storage a browser offers: IndexedDB, else localStorage (private modes and
 * some embedded views lack or refuse one of them), else memory.
 *
 * @module
 */
import { type IdbFactory, IndexedDbStorage } from "./indexed_db_storage.ts";
import { LocalStorageAdapter } from "./local_storage.ts";
import { MemoryStorage } from "./memory_storage.ts";
import type { StorageAdapter } from "./storage_adapter.ts";

/** Which storage `browserStorage` may use. */
export type BrowserStorageKind = "indexedDB" | "localStorage" | "memory";

/** The first usable storage of `prefer` (default: IndexedDB, localStorage, memory). */
export function browserStorage(
  prefer: readonly BrowserStorageKind[] = ["indexedDB", "localStorage", "memory"],
  scope: { indexedDB?: IdbFactory; localStorage?: Storage } = globalThis as {
    indexedDB?: IdbFactory;
    localStorage?: Storage;
  },
): StorageAdapter {
  for (const kind of prefer) {
    try {
      if (kind === "indexedDB" && scope.indexedDB) {
        return new IndexedDbStorage({ indexedDB: scope.indexedDB });
      }
      if (kind === "localStorage" && scope.localStorage) {
        return new LocalStorageAdapter({ storage: scope.localStorage });
      }
      if (kind === "memory") return new MemoryStorage();
    } catch {
      // Reading `localStorage` can throw where storage is blocked: try the next kind.
    }
  }
  return new MemoryStorage();
}
