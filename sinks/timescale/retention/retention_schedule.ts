import type { Logger } from "../../../ingest/observability/logger.ts";
import type { SqlClient } from "../sql/sql_client.ts";
import { dropExpiredPartitions } from "./drop_expired_partitions.ts";
import { everyInterval, type Schedule } from "../../program/every_interval.ts";

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
