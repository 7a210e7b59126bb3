/**
 * A sink's small HTTP listener: `GET /health`, `GET /ready` and any Connect services (the hot
 * sink serves QueryService), with the ingest's request handler and CORS policy.
 */
import { createConnectRouter } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import type { Logger } from "../../ingest/observability/logger.ts";
import { registerReflection } from "../../ingest/reflection/mod.ts";
import {
  createCorsPolicy,
  createIngestHandler,
  listenFetch,
  type ServiceRegistration,
} from "../../ingest/server/mod.ts";
import type { SinkHttpConfig } from "./sink_env.ts";

/** Largest request a sink's HTTP port reads (queries are small). */
const MAX_REQUEST_BYTES = 64 * 1024;

/** A started sink HTTP listener. */
export interface RunningSinkHttp {
  readonly port: number;
  readonly url: string;
  /** Stops accepting; calls in flight get a few seconds. */
  shutdown(): Promise<void>;
}

/** Options of `startSinkHttp`. */
export interface SinkHttpOptions extends SinkHttpConfig {
  /** Connect services to serve (with reflection); none for the lake sink. */
  services?: readonly ServiceRegistration[];
  /** True when the sink is consuming; `GET /ready` answers 503 otherwise. */
  isReady: () => Promise<boolean>;
  /** Said by a 503 from `/ready`. */
  notReadyReason: string;
  /** The Prometheus text for `GET /metrics` (404 when absent). */
  metrics?: () => string;
  logger: Logger;
}

/** Starts the listener on `host:port` (0 = any free port). */
export async function startSinkHttp(options: SinkHttpOptions): Promise<RunningSinkHttp> {
  const stopCalls = new AbortController();
  const router = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    readMaxBytes: MAX_REQUEST_BYTES,
    shutdownSignal: stopCalls.signal,
  });
  const services = options.services ?? [];
  for (const registration of services) registration.register(router);
  if (services.length > 0) registerReflection(router, services.map((s) => s.service));
  const logger = options.logger.child({ component: "http" });
  const handler = createIngestHandler({
    rpcHandlers: router.handlers,
    cors: createCorsPolicy(options.corsOrigins),
    maxRequestBytes: MAX_REQUEST_BYTES,
    isReady: options.isReady,
    notReadyReason: options.notReadyReason,
    metrics: options.metrics,
    logger,
  });
  const listener = await listenFetch({
    hostname: options.host,
    port: options.port,
    handler,
    logger,
    grpcHint: "a sink serves Connect and gRPC-web over HTTP/1.1 only",
  });
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    port: listener.port,
    url: `http://${host}:${listener.port}`,
    async shutdown() {
      const timer = setTimeout(() => stopCalls.abort(), 3_000);
      try {
        await listener.shutdown(stopCalls.signal);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
