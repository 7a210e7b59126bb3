/**
 * Runs one sink: its store (opened by the caller), its view of the event log, the shared
 * consume loop and its HTTP listener, and stops them in reverse order.
 */
import { metrics as otelMetrics } from "@opentelemetry/api";
import type { Logger } from "../../ingest/observability/logger.ts";
import { MetricsRegistry } from "../../ingest/observability/metrics_registry.ts";
import type { ServiceRegistration } from "../../ingest/server/mod.ts";
import type { LocalLog } from "../../ingest/stream/local/mod.ts";
import type { BatchLimits } from "../loop/batch_limits.ts";
import { type BatchReport, runSinkLoop, type SinkLoopSummary } from "../loop/run_sink_loop.ts";
import type { SinkStore } from "../loop/sink_store.ts";
import { SuppressingStore } from "../loop/suppressing_store.ts";
import { openSuppressionList, type SuppressionList } from "../../ingest/suppression/mod.ts";
import { createSinkMetrics } from "../loop/sink_metrics.ts";
import { openSinkLog } from "./open_sink_log.ts";
import type { SinkHttpConfig, SinkLogConfig } from "./sink_env.ts";
import { type RunningSinkHttp, startSinkHttp } from "./sink_http.ts";

/** A running sink. */
export interface RunningSink {
  /** The HTTP listener's URL and port, when one was started. */
  readonly httpUrl: string | undefined;
  readonly httpPort: number | undefined;
  /** The sink's metrics (also served as `GET /metrics` on its HTTP port). */
  readonly metrics: MetricsRegistry;
  /** The event log it reads: kind, where, topic and consumer group. */
  readonly source: { kind: "kafka" | "local"; where: string; topic: string; groupId: string };
  /**
   * Settles once the sink has stopped and released everything: with the loop's totals after
   * `stop()`, or rejected when the loop failed (a store error that is not transient; the
   * process should exit non-zero and be restarted — nothing was committed past the failure).
   */
  readonly done: Promise<SinkLoopSummary>;
  /** Stops: a batch being written is finished and committed, one being collected abandoned. */
  stop(): Promise<void>;
}

/** Options of `startSinkRunner`. */
export interface SinkRunnerOptions {
  /** The store; `write` must be idempotent. */
  store: SinkStore;
  /** Releases the store; called once the loop has ended (also when start-up fails). */
  closeStore(): Promise<void>;
  log: SinkLogConfig;
  /** The embedded log opened by this process already (dev): consumed instead of opening one. */
  sharedLocalLog?: LocalLog;
  batch: BatchLimits;
  /** The HTTP listener; undefined: none (the dev process serves on the ingest's port). */
  http?: SinkHttpConfig;
  /** Connect services on the HTTP listener. */
  services?: readonly ServiceRegistration[];
  /** Extra readiness condition (e.g. the database answers), besides the loop running. */
  storeReady?: () => Promise<boolean>;
  /** Called after each committed batch. */
  onBatch?: (report: BatchReport) => void;
  /** Where the metrics go; by default a new registry mirrored to the global OpenTelemetry meter. */
  metrics?: MetricsRegistry;
  /**
   * The suppression list whose events the sink drops (owned by the caller); by default the
   * runner opens the list of its event log itself (docs/privacy.md).
   */
  suppression?: SuppressionList;
  logger: Logger;
}

/** Opens the log view, starts the loop, then the HTTP listener; the handle stops them. */
export async function startSinkRunner(options: SinkRunnerOptions): Promise<RunningSink> {
  const { logger } = options;
  let sinkLog: Awaited<ReturnType<typeof openSinkLog>>;
  let ownSuppression: SuppressionList | undefined;
  try {
    sinkLog = await openSinkLog(options.log, {
      sharedLocalLog: options.sharedLocalLog,
      logger,
    });
    if (!options.suppression) {
      ownSuppression = await openSuppressionList(
        options.log.kind === "kafka"
          ? {
            kind: "kafka",
            connection: { brokers: options.log.brokers, clientId: options.log.clientId },
            topic: options.log.topic,
          }
          : {
            kind: "local",
            dir: options.sharedLocalLog?.options.dir ?? options.log.dir,
            topic: options.log.topic,
          },
        { logger },
      ).catch(async (error) => {
        await sinkLog.close();
        throw error;
      });
    }
  } catch (error) {
    await options.closeStore();
    throw error;
  }
  const metrics = options.metrics ??
    new MetricsRegistry({ meter: otelMetrics.getMeter("analytics-sink") });
  const store = new SuppressingStore(
    options.store,
    (options.suppression ?? ownSuppression)!,
    metrics.counter(
      "analytics_sink_suppressed_total",
      "Events dropped because they carry a suppressed (deleted) user or anonymous id.",
    ),
  );
  const controller = new AbortController();
  let running = true;
  const loop = runSinkLoop({
    consumer: sinkLog.consumer,
    store,
    deadLetter: sinkLog.deadLetter,
    deadLetterTopic: sinkLog.deadLetterTopic,
    batch: options.batch,
    log: logger,
    signal: controller.signal,
    onBatch: options.onBatch,
    metrics: createSinkMetrics(metrics),
    endOffsets: sinkLog.endOffsets,
    logSystem: sinkLog.kind,
    groupId: options.log.groupId,
  }).finally(() => {
    running = false;
  });

  let http: RunningSinkHttp | undefined;
  const release = async () => {
    const steps = [
      () => http?.shutdown(),
      () => sinkLog.close(),
      () => ownSuppression?.close(),
      () => options.closeStore(),
    ];
    const errors: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "releasing the sink failed");
  };
  const done = loop.then(
    async (summary) => {
      await release();
      return summary;
    },
    async (error) => {
      await release().catch((e) => logger.error("releasing the sink failed", { error: e }));
      throw error;
    },
  );
  // A failed loop is reported through `done`; keep an unobserved rejection from crashing early.
  done.catch(() => {});

  if (options.http) {
    try {
      http = await startSinkHttp({
        ...options.http,
        services: options.services,
        notReadyReason: "the sink is not consuming (starting, stopped, or its store is down)",
        metrics: () => metrics.render(),
        isReady: async () => running && (options.storeReady ? await options.storeReady() : true),
        logger,
      });
    } catch (error) {
      controller.abort();
      await done.catch(() => {});
      throw error;
    }
  }
  const source = {
    kind: sinkLog.kind,
    where: sinkLog.where,
    topic: options.log.topic,
    groupId: options.log.groupId,
  };
  logger.info("sink running", {
    sink: store.name,
    log: source.kind,
    where: source.where,
    topic: source.topic,
    group: source.groupId,
    http: http?.url,
  });
  return {
    httpUrl: http?.url,
    httpPort: http?.port,
    metrics,
    source,
    done,
    async stop() {
      controller.abort();
      await done.catch(() => {});
    },
  };
}
