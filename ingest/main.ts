/**
 * The ingest program: reads its configuration, opens the event log (Kafka when KAFKA_BROKERS is
 * set, else the embedded log in INGEST_LOG_DIR), starts the listeners and stops gracefully on
 * SIGTERM/SIGINT. `startIngest` is the composition root, shared with `dev.ts`.
 *
 * Run: `deno run -A ingest/main.ts` (variables in docs/configuration.md).
 *
 * @module
 */
import { type KeyFileReload, watchWriteKeyFile, WriteKeyStore } from "./auth/mod.ts";
import { type IngestConfig, loadIngestConfig } from "./config.ts";
import { createLegacyAnalyticsHandler } from "./legacy/mod.ts";
import { InFlightGate, RateLimiter } from "./limits/mod.ts";
import { createHeapPressure } from "./limits/heap_pressure.ts";
import { metrics as otelMetrics, type Tracer } from "@opentelemetry/api";
import { createLogger, type Logger, MetricsRegistry, setupTelemetry } from "./observability/mod.ts";
import {
  createTraceInterceptor,
  type RunningIngestServer,
  type ServiceRegistration,
  startIngestServer,
} from "./server/mod.ts";
import { createKafkaPublisher, ensureTopics } from "./stream/kafka/mod.ts";
import { type LocalLog, openLocalLog } from "./stream/local/mod.ts";
import type { Publisher } from "./stream/publisher.ts";
import {
  openSuppressionList,
  type SuppressionList,
  type SuppressionSource,
} from "./suppression/mod.ts";
import { createIngestMetrics, createIngestService, type IngestDeps } from "./track/mod.ts";

/** The event log the ingest publishes to, and how to release it. */
export interface EventLog {
  /** "kafka" or "local". */
  kind: "kafka" | "local";
  publisher: Publisher;
  /** Where it is: the brokers or the folder. */
  where: string;
  /** The embedded log itself (kind "local"), so in-process sinks can consume it. */
  local?: LocalLog;
  close(): Promise<void>;
}

/** A running ingest: its listeners and its event log. */
export interface RunningIngest {
  server: RunningIngestServer;
  log: EventLog;
  /** The ingest's metrics (also served as `GET /metrics`). */
  metrics: MetricsRegistry;
  /** Stops the listeners (calls in flight finish), then closes the event log. */
  stop(): Promise<void>;
}

/** Opens the configured event log: Kafka (creating the topics) or the embedded local log. */
export async function openEventLog(config: IngestConfig, logger: Logger): Promise<EventLog> {
  if (config.kafka) {
    const { brokers, clientId, requestTimeoutMs, compression, lingerMs } = config.kafka;
    await ensureTopics({
      brokers,
      clientId,
      requestTimeoutMs,
      topic: config.topic,
      partitions: config.partitions,
      retentionMs: config.kafka.retentionMs,
      deadLetterRetentionMs: config.kafka.deadLetterRetentionMs,
      enforceRetention: true,
    });
    const publisher = createKafkaPublisher({
      brokers,
      clientId,
      requestTimeoutMs,
      compression,
      lingerMs,
    });
    return { kind: "kafka", publisher, where: brokers.join(","), close: () => publisher.close() };
  }
  const local = await openLocalLog({
    dir: config.logDir,
    partitions: config.partitions,
    log: (msg, fields) => logger.warn(msg, { component: "local-log", ...fields }),
  });
  const publisher = await local.publisher();
  return { kind: "local", publisher, where: config.logDir, local, close: () => local.close() };
}

/** What `startIngest` may add to the configured ingest. */
export interface StartIngestOptions {
  /** Further Connect services on the ingest's listeners (the dev process adds QueryService). */
  services?: readonly ServiceRegistration[];
  /** Where the metrics go; by default a new registry mirrored to the global OpenTelemetry meter. */
  metrics?: MetricsRegistry;
  /** Tracer of the RPC and publish spans; by default the global `@opentelemetry/api` one. */
  tracer?: Tracer;
}

/** Starts the ingest from a configuration: event log, service, listeners. */
export async function startIngest(
  config: IngestConfig,
  logger: Logger,
  options: StartIngestOptions = {},
): Promise<RunningIngest> {
  const log = await openEventLog(config, logger);
  const metrics = options.metrics ??
    new MetricsRegistry({ meter: otelMetrics.getMeter("analytics-ingest") });
  let keyFile: KeyFileReload | undefined;
  let suppression: SuppressionList | undefined;
  try {
    suppression = await openSuppressionList(suppressionSourceOf(config), { logger });
    const keys = new WriteKeyStore(config.writeKeys);
    keyFile = watchKeyFile(config, keys, logger, metrics);
    const deps: IngestDeps = {
      publisher: log.publisher,
      topic: config.topic,
      keys,
      limiter: new RateLimiter({ defaultLimit: config.rateLimit }),
      inFlight: new InFlightGate(config.limits.maxInFlightEvents, createHeapPressure()),
      config,
      log: logger.child({ component: "track" }),
      metrics: createIngestMetrics(metrics),
      tracer: options.tracer,
      logSystem: log.kind,
      suppression: {
        list: suppression,
        suppressed: metrics.counter(
          "analytics_ingest_events_suppressed_total",
          "Events refused because they carry a deleted user's or linked anonymous id.",
        ),
      },
    };
    const server = await startIngestServer({
      ingestService: createIngestService(deps),
      hostname: config.host,
      httpPort: config.httpPort,
      grpcPort: config.grpcPort,
      tls: config.tls && {
        cert: await Deno.readTextFile(config.tls.certFile),
        key: await Deno.readTextFile(config.tls.keyFile),
        port: config.httpPort,
      },
      corsOrigins: config.corsOrigins,
      maxRequestBytes: config.limits.maxRequestBytes,
      isReady: () => log.publisher.isReady(),
      legacyAnalytics: config.legacySource === "" ? undefined : createLegacyAnalyticsHandler(deps),
      services: options.services,
      interceptors: [createTraceInterceptor(options.tracer)],
      metrics: () => metrics.render(),
      logger,
    });
    for (const listener of server.listeners) {
      logger.info("listening", {
        listener: listener.name,
        url: listener.url,
        serves: listener.serves,
      });
    }
    logger.info("event log open", { log: log.kind, where: log.where, topic: config.topic });
    let stopping: Promise<void> | undefined;
    return {
      server,
      log,
      metrics,
      stop() {
        keyFile?.stop();
        stopping ??= server.shutdown().finally(() =>
          Promise.all([log.close(), suppression?.close()]).then(() => {})
        );
        return stopping;
      },
    };
  } catch (error) {
    keyFile?.stop();
    await suppression?.close();
    await log.close();
    throw error;
  }
}

/** Where the suppression list of the configured event log is (docs/privacy.md). */
function suppressionSourceOf(config: IngestConfig): SuppressionSource {
  if (!config.kafka) return { kind: "local", dir: config.logDir, topic: config.topic };
  const { brokers, clientId, requestTimeoutMs } = config.kafka;
  return {
    kind: "kafka",
    connection: { brokers, clientId, requestTimeoutMs },
    topic: config.topic,
  };
}

/** Re-reads INGEST_WRITE_KEYS_FILE while the ingest runs (docs/keys.md); none without a file. */
function watchKeyFile(
  config: IngestConfig,
  store: WriteKeyStore,
  logger: Logger,
  metrics: MetricsRegistry,
): KeyFileReload | undefined {
  const file = config.writeKeysFile;
  if (file === undefined) return undefined;
  return watchWriteKeyFile({
    path: file.path,
    store,
    // Inline keys and the dev key stay; the file's own start-up keys are replaced by each read.
    fixed: config.writeKeys.filter((record) => !file.keys.includes(record)),
    initialText: file.text,
    intervalMs: file.reloadMs,
    log: logger.child({ component: "write-keys" }),
    reloads: metrics.counter(
      "analytics_ingest_write_key_reloads_total",
      "Reads of INGEST_WRITE_KEYS_FILE that changed the keys (reloaded) or were refused (failed).",
    ),
  });
}

/** Stops `ingest` on the first SIGTERM or SIGINT; resolves once it has stopped. */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: Deno.Signal) => () => {
      logger.info("stopping", { signal });
      for (const s of signals) Deno.removeSignalListener(s.name, s.listener);
      stop().then(resolve, reject);
    };
    const signals = (["SIGTERM", "SIGINT"] as const).map((name) => ({
      name,
      listener: onSignal(name),
    }));
    for (const s of signals) Deno.addSignalListener(s.name, s.listener);
  });
}

async function main(): Promise<void> {
  let config: IngestConfig;
  try {
    config = loadIngestConfig();
  } catch (error) {
    console.error(`ingest: configuration error: ${(error as Error).message}`);
    Deno.exit(2);
  }
  const logger = createLogger({
    level: config.logLevel,
    fields: { service: config.otel.serviceName },
  });
  setupTelemetry({ serviceName: config.otel.serviceName, env: Deno.env.toObject(), logger });
  const ingest = await startIngest(config, logger);
  await stopOnSignal(() => ingest.stop(), logger);
  logger.info("stopped");
}

if (import.meta.main) await main();
