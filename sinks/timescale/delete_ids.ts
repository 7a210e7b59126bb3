/** Deleting a user's events from the hot table, and finding the anonymous ids linked to it. */
import type { SqlClient } from "./sql/sql_client.ts";

/**
 * The anonymous ids that the user's stored events carry (an `identify` event carries both ids;
 * later events of the same client do too), in one query over the user_id index.
 */
export async function linkedAnonymousIdsInHotStore(
  sql: SqlClient,
  userId: string,
): Promise<string[]> {
  const rows = await sql.query<{ anonymous_id: string }>(
    `SELECT DISTINCT anonymous_id FROM analytics_events
     WHERE user_id = $1 AND anonymous_id IS NOT NULL AND anonymous_id <> ''
     ORDER BY anonymous_id`,
    [userId],
  );
  return rows.map((row) => row.anonymous_id);
}

/**
 * Deletes, in one transaction, every event whose `user_id` is one of `userIds` or whose
 * `anonymous_id` is one of `anonymousIds`; returns how many. The ids travel as one JSON
 * parameter (no SQL text is built from them). The per-minute rollup holds no ids and is kept.
 */
export async function deleteIdsFromHotStore(
  sql: SqlClient,
  ids: { userIds: readonly string[]; anonymousIds: readonly string[] },
): Promise<number> {
  if (ids.userIds.length === 0 && ids.anonymousIds.length === 0) return 0;
  return await sql.transaction(async (tx) => {
    const [row] = await tx.query<{ deleted: string }>(
      `WITH gone AS (
         DELETE FROM analytics_events
         WHERE user_id IN (SELECT jsonb_array_elements_text(($1::text)::jsonb))
            OR anonymous_id IN (SELECT jsonb_array_elements_text(($2::text)::jsonb))
         RETURNING 1)
       SELECT count(*)::text AS deleted FROM gone`,
      [JSON.stringify(ids.userIds), JSON.stringify(ids.anonymousIds)],
    );
    return Number(row.deleted);
  });
}
