import type { Logger } from "../../../ingest/observability/logger.ts";
import type { SqlClient } from "../sql/sql_client.ts";
import { dropExpiredPartitions } from "./drop_expired_partitions.ts";

/** A running periodic task; `stop` waits for a run in progress. */
export interface Schedule {
  stop(): Promise<void>;
}

/**
 * Runs `task` now and then every `intervalMs` until stopped; a failed run is logged and the next
 * one tried as usual (retention and vacuum are safe to repeat).
 */
export function everyInterval(
  task: () => Promise<void>,
  intervalMs: number,
  logger: Logger,
  name: string,
): Schedule {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = task().catch((error) => logger.warn(`${name} failed; tried again later`, { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Applies HOT_RETENTION_DAYS on the native-partition fallback: at start, then hourly (partitions
 * are daily). With TimescaleDB the extension's retention policy does it instead.
 */
export function scheduleHotRetention(
  sql: SqlClient,
  retentionDays: number,
  logger: Logger,
  intervalMs = 3_600_000,
): Schedule | undefined {
  if (retentionDays <= 0) return undefined;
  return everyInterval(
    async () => {
      const run = await dropExpiredPartitions(sql, retentionDays);
      if (run.dropped.length > 0 || run.defaultRowsDeleted > 0) {
        logger.info("hot store retention", {
          retention_days: retentionDays,
          partitions_dropped: run.dropped,
          default_rows_deleted: run.defaultRowsDeleted,
        });
      }
    },
    intervalMs,
    logger,
    "hot store retention",
  );
}
