/**
 * The client core for browsers without the Protobuf runtime: the shared `EventClient` (queue,
 * batching, retry, sessions, identity) over Connect JSON events (`EventJson`) sent with fetch,
 * and the browser storage adapters (IndexedDB, localStorage).
 *
 * @module
 */
export {
  type ClientStats,
  EventClient,
  type EventClientOptions,
  type FlushResult,
  type KeepaliveOptions,
  type Rejection,
} from "../client/event_client.ts";
export type { EventFormat } from "../client/event_format.ts";
export { type Scheduler, systemScheduler } from "../clock/scheduler.ts";
export {
  connectErrorFromResponse,
  connectJsonFormat,
  type ConnectJsonFormatOptions,
} from "./connect_json_format.ts";
export { browserStorage, type BrowserStorageKind } from "../storage/browser_storage.ts";
export { IndexedDbStorage } from "../storage/indexed_db_storage.ts";
export { LocalStorageAdapter } from "../storage/local_storage.ts";
export { MemoryStorage } from "../storage/memory_storage.ts";
export type { StorageAdapter } from "../storage/storage_adapter.ts";
