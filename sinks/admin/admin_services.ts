/** AdminService as the hot sink serves it: keys, deletion, replay and rebuild, wired to config. */
import type { ServiceImpl } from "@connectrpc/connect";
import { AdminService } from "@analytics/schema";
import type { Logger } from "../../ingest/observability/logger.ts";
import { type ServiceRegistration, serviceRegistration } from "../../ingest/server/mod.ts";
import { type LocalLog, openLocalLog } from "../../ingest/stream/local/mod.ts";
import type { SuppressionList } from "../../ingest/suppression/mod.ts";
import { DeltaStore } from "../delta/delta_store.ts";
import { openObjectStore } from "../delta/open_object_store.ts";
import type { SinkStore } from "../loop/sink_store.ts";
import type { HotSinkConfig } from "../timescale/config.ts";
import type { HotStore } from "../timescale/open_hot_store.ts";
import { TimescaleStore } from "../timescale/timescale_store.ts";
import { createAdminService } from "./admin_service.ts";
import { AdminKeys } from "./auth/admin_keys.ts";
import { kafkaLogAccess, localLogAccess, type LogAccess } from "./replay/log_access.ts";
import { rebuildRange } from "./replay/rebuild_range.ts";
import { replayDeadLetters } from "./replay/replay_dead_letters.ts";

/** What the hot sink hands over. */
export interface AdminServicesOptions {
  config: HotSinkConfig;
  hot: HotStore;
  suppression: SuppressionList;
  /** The embedded log this process has open (dev), used instead of opening the folder. */
  sharedLocalLog?: LocalLog;
  logger: Logger;
}

/**
 * AdminService when ADMIN_KEY_HASHES lists keys (else nothing), and what releases it. Replay
 * republishes through this process's view of the log: Kafka, or the embedded log when this
 * process holds it (dev); a separate process on the embedded log can rebuild but not replay
 * while the ingest holds the log's writer lock.
 */
export async function openAdminServices(
  options: AdminServicesOptions,
): Promise<
  {
    services: ServiceRegistration[];
    implementation?: ServiceImpl<typeof AdminService>;
    close(): Promise<void>;
  }
> {
  const { config, hot, suppression, logger } = options;
  if (config.admin.keyHashes.length === 0) return { services: [], close: () => Promise.resolve() };
  const lake = await openObjectStore(config.admin.lake);
  const logConfig = config.log;
  let ownLocalLog: LocalLog | undefined;
  let access: LogAccess;
  if (logConfig.kind === "kafka") {
    access = kafkaLogAccess(logConfig.brokers, `${logConfig.clientId}-admin`);
  } else {
    const local = options.sharedLocalLog ??
      (ownLocalLog = await openLocalLog({ dir: logConfig.dir, partitions: logConfig.partitions }));
    access = localLogAccess(local);
  }
  const { topic, partitions, groupId } = logConfig;
  const service = createAdminService({
    keys: new AdminKeys(config.admin.keyHashes),
    suppression,
    deletion: {
      sql: hot.sql,
      lake,
      lakeCheckpointInterval: config.admin.lakeCheckpointInterval,
      suppression,
      settleMs: config.admin.settleMs,
      logger,
    },
    replayDeadLetters: (maxRecords) =>
      replayDeadLetters({
        log: access,
        topic,
        partitions,
        group: `${groupId}-replay-dlq`,
        suppression,
        maxRecords,
        logger,
      }),
    async rebuildRange(which, from, to) {
      let store: SinkStore;
      let release: () => Promise<void>;
      if (which === "hot") {
        store = new TimescaleStore(hot.loader);
        release = () => Promise.resolve();
      } else {
        const lakeStore = await DeltaStore.open({
          objects: await openObjectStore(config.admin.lake),
          // Its own txn app ids, so the live sink's positions do not hide the range's records.
          sinkName: `rebuild-${crypto.randomUUID().slice(0, 8)}`,
          checkpointInterval: config.admin.lakeCheckpointInterval,
        });
        store = lakeStore;
        release = () => lakeStore.close();
      }
      try {
        return await rebuildRange({
          log: access,
          topic,
          partitions,
          store,
          suppression,
          from,
          to,
          logger,
        });
      } finally {
        await release();
      }
    },
  });
  logger.info("admin service on", { keys: config.admin.keyHashes.length, lake: lake.location });
  return {
    services: [serviceRegistration(AdminService, service)],
    implementation: service,
    async close() {
      await access.close();
      await ownLocalLog?.close();
      await lake.close();
    },
  };
}
