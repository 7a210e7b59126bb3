/**
 * The TimescaleDB path, isolated here and enabled by TIMESCALEDB=on|auto: turn the table into a
 * hypertable, with compression, retention and a continuous aggregate. Exercised only by the
 * compose stack (TimescaleDB is not packaged for Debian's PostgreSQL here); the default is the
 * native-partitioning fallback of the migrations.
 */
import type { SqlClient } from "./sql/sql_client.ts";

/** Whether to use TimescaleDB: always, never, or when the extension can be created. */
export type TimescaleMode = "on" | "off" | "auto";

/** Policies of the TimescaleDB path. */
export interface TimescalePolicies {
  /** Chunks older than this are compressed. Default "7 days". */
  compressAfter: string;
  /** Chunks older than this are dropped (HOT_RETENTION_DAYS). Default "400 days"; null: never. */
  retainFor: string | null;
}

const DEFAULT_POLICIES: TimescalePolicies = { compressAfter: "7 days", retainFor: "400 days" };

/** True when the timescaledb extension can be installed on this server. */
export async function timescaleAvailable(sql: SqlClient): Promise<boolean> {
  const rows = await sql.query(
    "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  return rows.length > 0;
}

/**
 * Applies the TimescaleDB set-up when `mode` asks for it; returns whether it is active. It must
 * run before any row is stored: a hypertable cannot be made from a natively partitioned table,
 * so on first use it replaces the empty table with a hypertable of the same columns.
 */
export async function applyTimescale(
  sql: SqlClient,
  mode: TimescaleMode,
  policies: Partial<TimescalePolicies> = {},
): Promise<boolean> {
  if (mode === "off") return false;
  if (!(await timescaleAvailable(sql))) {
    if (mode === "on") throw new Error("TIMESCALEDB=on but the timescaledb extension is absent");
    return false;
  }
  const p = {
    compressAfter: policies.compressAfter ?? DEFAULT_POLICIES.compressAfter,
    retainFor: policies.retainFor === undefined ? DEFAULT_POLICIES.retainFor : policies.retainFor,
  };
  for (const [name, value] of Object.entries(p)) {
    if (value === null) continue; // No retention policy.
    // They go into a multi-statement script, which cannot take parameters: only "<n> <unit>".
    if (!/^\d{1,6} (minute|hour|day|week|month|year)s?$/.test(value)) {
      throw new Error(
        `TimescaleDB policy ${name}: expected an interval like "7 days", got "${value}"`,
      );
    }
  }
  await sql.transaction(async (tx) => {
    await tx.exec("CREATE EXTENSION IF NOT EXISTS timescaledb");
    const [row] = await tx.query<{ is_hyper: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
        WHERE hypertable_name = 'analytics_events') AS is_hyper`,
    );
    if (row.is_hyper) return;
    const retention = p.retainFor === null
      ? "" // HOT_RETENTION_DAYS=0: keep every chunk.
      // sql-values: allow the retention interval, checked against "<n> <unit>" above
      : `SELECT add_retention_policy('analytics_events', interval '${p.retainFor}');`;
    // The migrations' time_bucket stand-in would shadow Timescale's own.
    // sql-values: allow the policy intervals, checked against "<n> <unit>" above
    await tx.exec(`
      DROP FUNCTION IF EXISTS public.time_bucket(interval, timestamptz);
      CREATE TABLE analytics_events_hyper (LIKE analytics_events INCLUDING ALL);
      INSERT INTO analytics_events_hyper SELECT * FROM analytics_events;
      DROP TABLE analytics_events;
      ALTER TABLE analytics_events_hyper RENAME TO analytics_events;
      SELECT create_hypertable('analytics_events', 'event_time', chunk_time_interval => interval '1 day');
      ALTER TABLE analytics_events SET (timescaledb.compress,
        timescaledb.compress_segmentby = 'channel', timescaledb.compress_orderby = 'event_time');
      SELECT add_compression_policy('analytics_events', interval '${p.compressAfter}');
      ${retention}
      CREATE MATERIALIZED VIEW IF NOT EXISTS analytics_events_per_minute_cagg
        WITH (timescaledb.continuous) AS
        SELECT time_bucket(interval '1 minute', event_time) AS bucket, channel, event_type,
          count(*) AS events
        FROM analytics_events GROUP BY 1, 2, 3 WITH NO DATA;
      SELECT add_continuous_aggregate_policy('analytics_events_per_minute_cagg',
        start_offset => interval '1 day', end_offset => interval '1 minute',
        schedule_interval => interval '1 minute');
    `);
  });
  return true;
}
