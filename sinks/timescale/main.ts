/**
 * The hot sink: reads the event topic (Kafka, or the embedded log) as its consumer group and
 * loads every event into PostgreSQL (or PGlite) exactly once. Serves `GET /health`, `GET /ready`
 * and QueryService (Connect, gRPC-web) on SINK_HTTP_PORT (3002). Stops cleanly on SIGINT/SIGTERM;
 * exits 1 when its store fails in a way that is not transient, 2 on a configuration error.
 *
 * Run: `deno run -A sinks/timescale/main.ts` (configuration: docs/configuration.md, "Hot sink").
 *
 * @module
 */
import { QueryService } from "@analytics/schema";
import type { Logger } from "../../ingest/observability/logger.ts";
import { serviceRegistration } from "../../ingest/server/mod.ts";
import type { LocalLog } from "../../ingest/stream/local/mod.ts";
import type { MetricsRegistry } from "../../ingest/observability/metrics_registry.ts";
import {
  catchStopSignals,
  loadOrExit,
  type RunningSink,
  runUntilSignal,
  sinkLogger,
  startOrExit,
  startSinkRunner,
} from "../program/mod.ts";
import { createQueryService } from "../query/mod.ts";
import { openAdminServices } from "../admin/admin_services.ts";
import {
  openSuppressionList,
  type SuppressionList,
  type SuppressionSource,
} from "../../ingest/suppression/mod.ts";
import { scheduleHotRetention } from "./retention/retention_schedule.ts";
import { type HotSinkConfig, loadHotSinkConfig } from "./config.ts";
import { type HotStore, openHotStore } from "./open_hot_store.ts";
import { TimescaleStore } from "./timescale_store.ts";

/** What `startHotSink` may be handed instead of opening it itself (the dev process). */
export interface HotSinkDeps {
  /** An open hot store, owned by the caller (not closed by the sink). */
  hotStore?: HotStore;
  /** The embedded log already open in this process. */
  sharedLocalLog?: LocalLog;
  /** The metrics registry to add the sink's metrics to (dev shares the ingest's). */
  metrics?: MetricsRegistry;
  /** False: no HTTP listener (QueryService is served elsewhere). Default true. */
  http?: boolean;
  /** The suppression list, owned by the caller; by default the sink opens its log's own. */
  suppression?: SuppressionList;
}

/** A running hot sink. */
export interface RunningHotSink extends RunningSink {
  /** The hot store it loads (query it with `store.sql`). */
  readonly store: HotStore;
}

/** Starts the hot sink: store (migrated), consumer, loop, HTTP listener with QueryService. */
export async function startHotSink(
  config: HotSinkConfig,
  logger: Logger,
  deps: HotSinkDeps = {},
): Promise<RunningHotSink> {
  const hot = deps.hotStore ?? await openHotStore(config.target, {
    timescale: config.timescale,
    retentionDays: config.retentionDays,
  });
  const store = new TimescaleStore(hot.loader);
  let suppression: SuppressionList;
  try {
    suppression = deps.suppression ?? await openSuppressionList(
      suppressionSourceOf(config.log, deps.sharedLocalLog),
      { logger },
    );
  } catch (error) {
    if (!deps.hotStore) await hot.close();
    throw error;
  }
  const admin = await openAdminServices({
    config,
    hot,
    suppression,
    sharedLocalLog: deps.sharedLocalLog,
    logger,
  });
  const retention = hot.timescale
    ? undefined
    : scheduleHotRetention(hot.sql, config.retentionDays, logger);
  const sink = await startSinkRunner({
    store,
    closeStore: async () => {
      await retention?.stop();
      await admin.close();
      if (!deps.suppression) await suppression.close();
      if (!deps.hotStore) await hot.close();
    },
    log: config.log,
    sharedLocalLog: deps.sharedLocalLog,
    metrics: deps.metrics,
    batch: config.batch,
    http: deps.http === false ? undefined : config.http,
    suppression,
    services: [
      serviceRegistration(QueryService, createQueryService(hot.sql)),
      ...admin.services,
    ],
    storeReady: () => isAnswering(hot),
    onBatch: (r) =>
      logger.debug("batch stored", {
        records: r.records,
        deadLettered: r.deadLettered,
        ms: r.durationMs,
      }),
    logger,
  });
  logger.info("hot sink started", {
    store: config.target.kind,
    timescale: hot.timescale,
    batch: config.batch,
  });
  return { ...sink, store: hot, stop: () => sink.stop() };
}

/** Where the suppression list of a sink's event log is. */
export function suppressionSourceOf(
  log: HotSinkConfig["log"],
  sharedLocalLog?: LocalLog,
): SuppressionSource {
  return log.kind === "kafka"
    ? {
      kind: "kafka",
      connection: { brokers: log.brokers, clientId: log.clientId },
      topic: log.topic,
    }
    : { kind: "local", dir: sharedLocalLog?.options.dir ?? log.dir, topic: log.topic };
}

/** True when the database answers a trivial query within two seconds. */
async function isAnswering(hot: HotStore): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 2_000);
  });
  try {
    return await Promise.race([hot.sql.query("SELECT 1").then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

if (import.meta.main) {
  const service = "analytics-sink-timescale";
  const config = loadOrExit(service, () => loadHotSinkConfig());
  const logger = sinkLogger(service);
  const signals = catchStopSignals(logger);
  const sink = await startOrExit(logger, "hot sink", () => startHotSink(config, logger));
  await runUntilSignal(sink, logger, signals);
}
