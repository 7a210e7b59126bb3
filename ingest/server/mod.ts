/**
 * The ingest's listeners: Deno.serve (HTTP/1.1 + h2c: Connect, gRPC-web, /analytics, /health,
 * /ready) and node:http2 (gRPC over h2c; or everything over TLS on one port), over one shared
 * routing concern. See docs/listeners.md.
 *
 * @module
 */
export {
  type IngestServerOptions,
  type ListenerInfo,
  type RunningIngestServer,
  startIngestServer,
} from "./ingest_server.ts";
export {
  createIngestHandler,
  type IngestHandlerOptions,
  type LegacyAnalyticsHandler,
} from "./ingest_handler.ts";
export { createIngestRouter, type IngestRouterOptions } from "./router.ts";
export { type CorsPolicy, createCorsPolicy } from "./cors.ts";
export { clientAddressKey, normalizeAddress } from "./client_address.ts";
export type { TlsMaterial } from "./node_listener.ts";
export { type FetchListenerOptions, listenFetch, type RunningListener } from "./fetch_listener.ts";
export { type ServiceRegistration, serviceRegistration } from "./service_registration.ts";
export { createTraceInterceptor } from "./trace_interceptor.ts";
