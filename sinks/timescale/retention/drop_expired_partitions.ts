/** Hot-store retention on native partitions: drop whole daily partitions past the retention. */
import type { SqlClient } from "../sql/sql_client.ts";

/** What one retention run did. */
export interface RetentionRun {
  /** Partitions dropped (their names). */
  dropped: string[];
  /** Rows deleted from the default partition (late events with no daily partition). */
  defaultRowsDeleted: number;
}

const DAY_MS = 86_400_000;

/**
 * Drops the daily partitions of `analytics_events` (`analytics_events_pYYYYMMDD`) whose whole
 * day ended more than `retentionDays` ago, and deletes rows that old from the default partition.
 * Dropping a partition is instant and leaves no dead rows, unlike DELETE. `retentionDays` 0 keeps
 * everything.
 */
export async function dropExpiredPartitions(
  sql: SqlClient,
  retentionDays: number,
  now = Date.now(),
): Promise<RetentionRun> {
  if (retentionDays <= 0) return { dropped: [], defaultRowsDeleted: 0 };
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const cutoff = today - retentionDays * DAY_MS;
  const partitions = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'analytics_events' AND p.relnamespace = to_regnamespace(current_schema())
       AND c.relname ~ '^analytics_events_p[0-9]{8}$'
     ORDER BY c.relname`,
  );
  const dropped: string[] = [];
  for (const { name } of partitions) {
    const day = name.slice(-8);
    const start = Date.UTC(
      Number(day.slice(0, 4)),
      Number(day.slice(4, 6)) - 1,
      Number(day.slice(6)),
    );
    // The partition holds [start, start + 1 day): expired once that end is at or before the cutoff.
    if (start + DAY_MS > cutoff) continue;
    await sql.exec(`DROP TABLE IF EXISTS ${name}`);
    dropped.push(name);
  }
  const [row] = await sql.query<{ deleted: string }>(
    `WITH gone AS (DELETE FROM analytics_events_default WHERE event_time < $1 RETURNING 1)
     SELECT count(*)::text AS deleted FROM gone`,
    [new Date(cutoff).toISOString()],
  );
  return { dropped, defaultRowsDeleted: Number(row.deleted) };
}
