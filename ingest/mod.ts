/**
 * The analytics ingest: a Connect server (Connect, gRPC, gRPC-web, and the original product's
 * `POST /analytics`) that authenticates, validates, enriches and publishes events to the event
 * log (Kafka or the embedded local log).
 *
 * @module
 */
export {
  type EventLog,
  openEventLog,
  type RunningIngest,
  startIngest,
  stopOnSignal,
} from "./main.ts";
export { type IngestConfig, loadIngestConfig } from "./config.ts";
export {
  createIngestHandler,
  createIngestRouter,
  type IngestServerOptions,
  type ListenerInfo,
  type RunningIngestServer,
  startIngestServer,
} from "./server/mod.ts";
export { createIngestService, type IngestDeps } from "./track/mod.ts";
export { createLogger, type Logger, setupTelemetry } from "./observability/mod.ts";
export { registerReflection } from "./reflection/mod.ts";
