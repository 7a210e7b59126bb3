import { Code, ConnectError, type Interceptor, type ServiceImpl } from "@connectrpc/connect";
import type { IngestService } from "@analytics/schema";
import type { Logger } from "../observability/mod.ts";
import { createCorsPolicy } from "./cors.ts";
import { listenFetch, type RunningListener } from "./fetch_listener.ts";
import { createIngestHandler, type LegacyAnalyticsHandler } from "./ingest_handler.ts";
import { listenNode, type TlsMaterial } from "./node_listener.ts";
import { createIngestRouter } from "./router.ts";
import type { ServiceRegistration } from "./service_registration.ts";

/** Options of `startIngestServer`. */
export interface IngestServerOptions {
  /** The implementation of analytics.v1.IngestService. */
  ingestService: ServiceImpl<typeof IngestService>;
  /** Address to bind. Default 127.0.0.1. */
  hostname?: string;
  /** Cleartext HTTP/1.1 + h2c port (Connect, gRPC-web, /analytics, /health, /ready); 0 = any. */
  httpPort: number;
  /** Cleartext h2c port for gRPC; 0 = any. */
  grpcPort: number;
  /** With TLS, one port serves everything (ALPN) and the two cleartext ports are not opened. */
  tls?: TlsMaterial & { port: number };
  /** Browser origins allowed by CORS; `*` for any. */
  corsOrigins: readonly string[];
  /** Largest request body / message in bytes. */
  maxRequestBytes: number;
  /** Readiness of the event log (the publisher's isReady). */
  isReady: () => Promise<boolean>;
  /** `POST /analytics`, when a legacy source is configured. */
  legacyAnalytics?: LegacyAnalyticsHandler;
  /** The Prometheus text for `GET /metrics` (404 when absent). */
  metrics?: () => string;
  /** Interceptors for every RPC. */
  interceptors?: Interceptor[];
  /** Further Connect services served on the same listeners (e.g. QueryService in dev). */
  services?: readonly ServiceRegistration[];
  /** How long shutdown waits for calls in flight before cutting them. Default 10 000 ms. */
  shutdownGraceMs?: number;
  logger: Logger;
}

/** Which protocols a bound listener serves. */
export interface ListenerInfo {
  name: "http" | "grpc" | "tls";
  port: number;
  url: string;
  serves: string;
}

/** A started ingest server. */
export interface RunningIngestServer {
  /** The bound listeners (with their real ports). */
  readonly listeners: readonly ListenerInfo[];
  /** Port serving Connect, gRPC-web and the HTTP endpoints (the TLS port with TLS). */
  readonly httpPort: number;
  /** Port serving gRPC (the TLS port with TLS). */
  readonly grpcPort: number;
  /**
   * Stops accepting connections, lets calls in flight finish for up to the grace period, then
   * aborts what remains (handlers see ctx.signal aborted) and closes every connection.
   */
  shutdown(): Promise<void>;
}

/** Starts the ingest's listeners: two in cleartext (DESIGN.md §3), one with TLS. */
export async function startIngestServer(
  options: IngestServerOptions,
): Promise<RunningIngestServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const logger = options.logger.child({ component: "listener" });
  const stopCalls = new AbortController();
  const router = createIngestRouter({
    ingestService: options.ingestService,
    maxRequestBytes: options.maxRequestBytes,
    shutdownSignal: stopCalls.signal,
    interceptors: options.interceptors,
    services: options.services,
  });
  const handler = createIngestHandler({
    rpcHandlers: router.handlers,
    cors: createCorsPolicy(options.corsOrigins),
    maxRequestBytes: options.maxRequestBytes,
    isReady: options.isReady,
    legacyAnalytics: options.legacyAnalytics,
    metrics: options.metrics,
    logger,
  });

  const started: { info: ListenerInfo; listener: RunningListener }[] = [];
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  try {
    if (options.tls) {
      const { port: tlsPort, ...tls } = options.tls;
      const listener = await listenNode({ hostname, port: tlsPort, handler, tls, logger });
      started.push({
        listener,
        info: {
          name: "tls",
          port: listener.port,
          url: `https://${host}:${listener.port}`,
          serves: "gRPC, Connect, gRPC-web, /analytics, /health, /ready (HTTP/2 and HTTP/1.1, TLS)",
        },
      });
    } else {
      const grpc = await listenNode({ hostname, port: options.grpcPort, handler, logger });
      started.push({
        listener: grpc,
        info: {
          name: "grpc",
          port: grpc.port,
          url: `http://${host}:${grpc.port}`,
          serves: "gRPC incl. reflection (h2c)",
        },
      });
      const http = await listenFetch({
        hostname,
        port: options.httpPort,
        handler,
        logger,
        grpcHint: `use port ${grpc.port} (h2c) or configure TLS`,
        maxRequestBytes: options.maxRequestBytes,
      });
      started.push({
        listener: http,
        info: {
          name: "http",
          port: http.port,
          url: `http://${host}:${http.port}`,
          serves: "Connect, gRPC-web, /analytics, /health, /ready (HTTP/1.1 and h2c)",
        },
      });
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.listener.shutdown(AbortSignal.abort())));
    throw error;
  }

  const portOf = (name: ListenerInfo["name"]) =>
    started.find((s) => s.info.name === name || s.info.name === "tls")!.info.port;
  let stopping: Promise<void> | undefined;
  return {
    listeners: started.map((s) => s.info),
    httpPort: portOf("http"),
    grpcPort: portOf("grpc"),
    shutdown() {
      stopping ??= (async () => {
        const graceMs = options.shutdownGraceMs ?? 10_000;
        const timer = setTimeout(
          () =>
            stopCalls.abort(
              new ConnectError("the ingest is shutting down; retry", Code.Unavailable),
            ),
          graceMs,
        );
        try {
          await Promise.all(started.map((s) => s.listener.shutdown(stopCalls.signal)));
        } finally {
          clearTimeout(timer);
        }
        logger.info("listeners stopped");
      })();
      return stopping;
    },
  };
}
