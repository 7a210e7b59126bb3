/** Daily range partitions of `analytics_events`, created ahead of the rows that need them. */
import type { SqlClient } from "../sql/sql_client.ts";

/** Arbitrary constant naming the partition-creation lock among advisory locks. */
const PARTITION_LOCK_KEY = 7_240_517_002;

/** Name of the partition holding UTC day `day` (`YYYY-MM-DD`). */
export function partitionName(day: string): string {
  return `analytics_events_p${day.replaceAll("-", "")}`;
}

/** The UTC days from `from` for `count` days, as `YYYY-MM-DD`. */
export function daysFrom(from: Date, count: number): string[] {
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return Array.from(
    { length: count },
    (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * Creates daily partitions when missing, remembering those it has seen, so a batch costs one
 * set lookup per day. Creation runs in its own short transaction under an advisory lock, so two
 * sinks never race on the same partition.
 */
export class DailyPartitions {
  #known = new Set<string>();

  /** Keeps the partitions of the table reached through `sql`. */
  constructor(private readonly sql: SqlClient) {}

  /** Ensures a partition exists for every day in `days` (`YYYY-MM-DD`). */
  async ensure(days: Iterable<string>): Promise<void> {
    const missing = [...days].filter((d) => !this.#known.has(d));
    if (missing.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
      for (const day of missing) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid partition day ${day}`);
        const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString()
          .slice(0, 10);
        await tx.exec(
          // sql-values: allow DDL takes no parameters; `day` matched YYYY-MM-DD just above
          `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF analytics_events
           FOR VALUES FROM ('${day} 00:00:00+00') TO ('${next} 00:00:00+00')`,
        );
      }
    });
    for (const day of missing) this.#known.add(day);
  }
}
