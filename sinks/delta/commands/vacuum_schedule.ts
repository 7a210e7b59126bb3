import type { Logger } from "../../../ingest/observability/logger.ts";
import { everyInterval, type Schedule } from "../../program/every_interval.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { vacuum } from "./vacuum.ts";

/**
 * The lake's vacuum schedule (DELTA_VACUUM_INTERVAL_HOURS, DELTA_VACUUM_RETENTION_HOURS): at
 * start and then every `intervalMs`, data files removed (by optimize or a deletion) longer than
 * `retentionMs` ago are deleted, and with them the old versions that needed them. Undefined
 * when `intervalMs` is 0. Several sinks vacuuming the same table is harmless.
 */
export function scheduleVacuum(
  objects: ObjectStore,
  options: { intervalMs: number; retentionMs: number },
  logger: Logger,
): Schedule | undefined {
  if (options.intervalMs <= 0) return undefined;
  return everyInterval(
    async () => {
      const deleted = await vacuum(objects, { retentionMs: options.retentionMs });
      if (deleted.length > 0) {
        logger.info("lake vacuum", {
          files_deleted: deleted.length,
          retention_hours: options.retentionMs / 3_600_000,
        });
      }
    },
    options.intervalMs,
    logger,
    "lake vacuum",
  );
}
