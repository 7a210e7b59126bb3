/**
 * The shared core of the analytics clients: transports over fetch (Connect, gRPC-web), event
 * creation (UUIDv7 id and time fixed at creation), a bounded persisted queue, batching, retry
 * with backoff and jitter, sessions and identity. gRPC (Node's HTTP/2) is in
 * `@analytics/client-core/grpc`, the file storage in `@analytics/client-core/file-storage`, so
 * this entry point stays free of Node modules for browsers and React Native.
 *
 * @module
 */
export {
  AnalyticsClient,
  type AnalyticsClientOptions,
  type Rejection,
} from "./client/analytics_client.ts";
export {
  type ClientStats,
  EventClient,
  type EventClientOptions,
  type FlushResult,
  type KeepaliveOptions,
} from "./client/event_client.ts";
export type {
  EventFormat,
  EventIds,
  EventOutcome,
  EventResult,
  SendOptions,
} from "./client/event_format.ts";
export { protobufFormat, type ProtobufFormatOptions } from "./client/protobuf_format.ts";
export { type Scheduler, systemScheduler } from "./clock/scheduler.ts";
export { type EventInit, newEvent } from "./event/new_event.ts";
export { BoundedQueue, type BoundedQueueOptions, type EventCodec } from "./queue/bounded_queue.ts";
export { EventQueue, type EventQueueOptions, protobufEventCodec } from "./queue/event_queue.ts";
export { backoffDelay, type BackoffOptions } from "./retry/backoff.ts";
export { isRetryableError } from "./retry/retryable.ts";
export { Identity } from "./session/identity.ts";
export {
  type SessionState,
  SessionTracker,
  type SessionTrackerOptions,
} from "./session/session_tracker.ts";
export { browserStorage, type BrowserStorageKind } from "./storage/browser_storage.ts";
export { IndexedDbStorage } from "./storage/indexed_db_storage.ts";
export { LocalStorageAdapter } from "./storage/local_storage.ts";
export { MemoryStorage } from "./storage/memory_storage.ts";
export type { StorageAdapter } from "./storage/storage_adapter.ts";
export { type ClientTransport, writeKeyInterceptor } from "./transport/client_transport.ts";
export { createFetchTransport, type FetchTransportOptions } from "./transport/fetch_transport.ts";
