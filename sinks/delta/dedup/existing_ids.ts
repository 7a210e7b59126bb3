import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../parquet/sql.ts";

/**
 * Which of `ids` the local Parquet files at `paths` hold in their `event_id` column. DuckDB reads
 * only that column; the ids go in through a temporary table (`IN (SELECT …)`), so a batch of tens
 * of thousands of ids costs no SQL text.
 */
export async function existingIds(
  connection: DuckDBConnection,
  paths: readonly string[],
  ids: Iterable<string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  if (paths.length === 0) return found;
  const table = `batch_ids_${crypto.randomUUID().replaceAll("-", "")}`;
  await connection.run(`CREATE TEMP TABLE ${table} (id VARCHAR)`);
  try {
    const appender = await connection.createAppender(table, "main", "temp");
    try {
      for (const id of ids) {
        appender.appendVarchar(id);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    const files = `[${paths.map(sqlString).join(", ")}]`;
    const reader = await connection.runAndReadAll(
      // sql-values: allow the paths of files this process downloaded, quoted by sqlString
      `SELECT DISTINCT f.event_id FROM read_parquet(${files}, hive_partitioning = false) AS f ` +
        `WHERE f.event_id IN (SELECT id FROM ${table})`,
    );
    for (const [id] of reader.getRowsJS()) found.add(id as string);
    return found;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
