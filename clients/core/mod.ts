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
  type ClientStats,
  type FlushResult,
  type Rejection,
} from "./client/analytics_client.ts";
export { type Scheduler, systemScheduler } from "./clock/scheduler.ts";
export { type EventInit, newEvent } from "./event/new_event.ts";
export { EventQueue, type EventQueueOptions } from "./queue/event_queue.ts";
export { backoffDelay, type BackoffOptions } from "./retry/backoff.ts";
export { isRetryableError } from "./retry/retryable.ts";
export { Identity } from "./session/identity.ts";
export { SessionTracker, type SessionTrackerOptions } from "./session/session_tracker.ts";
export { MemoryStorage } from "./storage/memory_storage.ts";
export type { StorageAdapter } from "./storage/storage_adapter.ts";
export { type ClientTransport, writeKeyInterceptor } from "./transport/client_transport.ts";
export { createFetchTransport, type FetchTransportOptions } from "./transport/fetch_transport.ts";
