import { DuckDBInstance } from "@duckdb/node-api";
import type { Logger } from "../../ingest/observability/logger.ts";
import type { SuppressionEntry, SuppressionList } from "../../ingest/suppression/mod.ts";
import { deleteIds, linkedAnonymousIds } from "../delta/commands/delete_ids.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { deleteIdsFromHotStore, linkedAnonymousIdsInHotStore } from "../timescale/delete_ids.ts";
import type { SqlClient } from "../timescale/sql/sql_client.ts";

/** What a deletion reaches: the hot store, the lake (when configured) and the suppression list. */
export interface DeletionDeps {
  /** The hot store. */
  sql: SqlClient;
  /** The lake table's object store; undefined when this deployment has no lake. */
  lake?: ObjectStore;
  /** Checkpoint interval of the lake (DELTA_CHECKPOINT_INTERVAL). */
  lakeCheckpointInterval?: number;
  /** The shared suppression list. */
  suppression: SuppressionList;
  /** Wait after suppressing, before deleting, for every replica to read the new entries. */
  settleMs: number;
  logger: Logger;
}

/** The outcome of one deletion. */
export interface Deletion {
  deletionId: string;
  userId: string;
  anonymousIds: string[];
  hotEventsDeleted: number;
  lakeEventsDeleted: number;
  lakeFilesRewritten: number;
  lakeVersion: number | undefined;
  finishedAt: Date;
}

/**
 * Deletes a user: finds the anonymous ids its stored events link to it (hot store and lake, and
 * those an earlier deletion of the user suppressed), suppresses them all first, waits for the
 * replicas to read that, then deletes their events from the hot store (one transaction) and the
 * lake (one conflict-checked commit of removes and rewrites). Idempotent: a second run deletes
 * what slipped in meanwhile, usually nothing.
 */
export async function deleteUser(deps: DeletionDeps, userId: string): Promise<Deletion> {
  const deletionId = crypto.randomUUID();
  const log = deps.logger.child({ component: "admin", deletion_id: deletionId });
  const duck = deps.lake ? await DuckDBInstance.create(":memory:", { threads: "1" }) : undefined;
  const connection = await duck?.connect();
  try {
    await deps.suppression.refresh();
    const linked = new Set(await linkedAnonymousIdsInHotStore(deps.sql, userId));
    if (deps.lake && connection) {
      for (const id of await linkedAnonymousIds(deps.lake, connection, userId)) linked.add(id);
    }
    const earlier = deps.suppression.entries().find((e) => e.id === userId && e.kind === "user");
    if (earlier) {
      for (const entry of deps.suppression.entries()) {
        if (entry.kind === "anonymous" && entry.deletionId === earlier.deletionId) {
          linked.add(entry.id);
        }
      }
    }
    linked.delete(userId);
    const anonymousIds = [...linked].sort();
    const at = Date.now();
    const entries: SuppressionEntry[] = [
      { id: userId, kind: "user" as const, deletionId, at },
      ...anonymousIds.map((id) => ({ id, kind: "anonymous" as const, deletionId, at })),
    ].filter((entry) => !deps.suppression.has(entry.id));
    // Suppressed before anything is deleted, so nothing new lands behind the deletion.
    await deps.suppression.add(entries);
    if (entries.length > 0 && deps.settleMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, deps.settleMs));
    }
    const ids = { userIds: [userId], anonymousIds };
    const hotEventsDeleted = await deleteIdsFromHotStore(deps.sql, ids);
    let lake = { rowsDeleted: 0, filesRewritten: 0, version: undefined as number | undefined };
    if (deps.lake && connection) {
      lake = await deleteIds(deps.lake, connection, ids, {
        deletionId,
        checkpointInterval: deps.lakeCheckpointInterval,
      });
    }
    const deletion: Deletion = {
      deletionId,
      userId,
      anonymousIds,
      hotEventsDeleted,
      lakeEventsDeleted: lake.rowsDeleted,
      lakeFilesRewritten: lake.filesRewritten,
      lakeVersion: lake.version,
      finishedAt: new Date(),
    };
    // Ids are personal data: the log line carries the counts and the deletion id only.
    log.info("user deleted", {
      anonymous_ids: anonymousIds.length,
      suppressed_now: entries.length,
      hot_events_deleted: hotEventsDeleted,
      lake_events_deleted: lake.rowsDeleted,
      lake_files_rewritten: lake.filesRewritten,
      lake_version: lake.version,
    });
    return deletion;
  } finally {
    connection?.closeSync();
    duck?.closeSync();
  }
}
