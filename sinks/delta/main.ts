/**
 * The lake sink: reads the event topic (Kafka, or the embedded log) as its consumer group and
 * appends every event exactly once to the Delta table on S3 (or a local folder), resuming each
 * assigned partition from its Delta `txn` version. Serves `GET /health` and `GET /ready` on
 * SINK_HTTP_PORT (3003). Refuses to start (exit 2) when the store does not make commits atomic;
 * stops cleanly on SIGINT/SIGTERM; exits 1 when its store fails in a way that is not transient.
 *
 * Run: `deno run -A sinks/delta/main.ts` (configuration: docs/configuration.md, "Lake sink").
 *
 * @module
 */
import type { Logger } from "../../ingest/observability/logger.ts";
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
import { type LakeSinkConfig, loadLakeSinkConfig } from "./config.ts";
import { DeltaStore } from "./delta_store.ts";
import { openObjectStore } from "./open_object_store.ts";
import { verifyAtomicCreate } from "./startup_check.ts";
import { scheduleVacuum } from "./commands/vacuum_schedule.ts";

/** Raised when the object store lets a second create of one key succeed. */
export class NonAtomicStoreError extends Error {
  /** Names the store and wraps the check's finding. */
  constructor(location: string, cause: unknown) {
    super(`refusing to run: ${location} cannot make Delta commits atomic: ${cause}`, { cause });
    this.name = "NonAtomicStoreError";
  }
}

/** What `startLakeSink` may be handed (the dev process). */
export interface LakeSinkDeps {
  /** The embedded log already open in this process. */
  sharedLocalLog?: LocalLog;
  /** The metrics registry to add the sink's metrics to (dev shares the ingest's). */
  metrics?: MetricsRegistry;
  /** False: no HTTP listener. Default true. */
  http?: boolean;
}

/** A running lake sink. */
export interface RunningLakeSink extends RunningSink {
  /** The table's location (s3://… or a folder). */
  readonly location: string;
  /** The latest table version this sink has seen. */
  version(): number;
}

/** Checks the store, opens the table, starts the consumer, loop and HTTP listener. */
export async function startLakeSink(
  config: LakeSinkConfig,
  logger: Logger,
  deps: LakeSinkDeps = {},
): Promise<RunningLakeSink> {
  const objects = await openObjectStore(config.target);
  const location = objects.location;
  let store: DeltaStore;
  try {
    try {
      await verifyAtomicCreate(objects);
    } catch (error) {
      throw new NonAtomicStoreError(location, error);
    }
    store = await DeltaStore.open({
      objects,
      sinkName: config.sinkName,
      tableName: config.tableName,
      checkpointInterval: config.checkpointInterval,
      cache: config.cache,
    });
  } catch (error) {
    await objects.close();
    throw error;
  }
  let duplicatesLogged = 0;
  const vacuuming = scheduleVacuum(objects, config.vacuum, logger);
  const sink = await startSinkRunner({
    store,
    closeStore: async () => {
      await vacuuming?.stop();
      await store.close();
    },
    log: config.log,
    sharedLocalLog: deps.sharedLocalLog,
    metrics: deps.metrics,
    batch: config.batch,
    http: deps.http === false ? undefined : config.http,
    onBatch: (r) => {
      const dropped = store.duplicatesDropped - duplicatesLogged;
      duplicatesLogged = store.duplicatesDropped;
      // The log held these events twice (re-sent by a client): worth seeing at info level.
      if (dropped > 0) logger.info("dropped event ids already stored", { records: dropped });
      logger.debug("batch committed", {
        records: r.records,
        deadLettered: r.deadLettered,
        duplicatesDropped: dropped,
        version: store.version,
        ms: r.durationMs,
      });
    },
    logger,
  });
  logger.info("lake sink started", { table: location, version: store.version });
  return { ...sink, stop: () => sink.stop(), location, version: () => store.version };
}

if (import.meta.main) {
  const service = "analytics-sink-delta";
  const config = loadOrExit(service, () => loadLakeSinkConfig());
  const logger = sinkLogger(service);
  const signals = catchStopSignals(logger);
  const sink: RunningLakeSink = await startOrExit(logger, "lake sink", async () => {
    try {
      return await startLakeSink(config, logger);
    } catch (error) {
      if (!(error instanceof NonAtomicStoreError)) throw error;
      // A store that is not atomic will not become so on a retry: a configuration error.
      logger.error(error.message, { error });
      Deno.exit(2);
    }
  });
  await runUntilSignal(sink, logger, signals);
}
