import type { DuckDBConnection } from "@duckdb/node-api";
import type { CellValue, Column } from "../columns.ts";
import type { StructField } from "../log/schema.ts";
import { computeStats, type FileStats } from "../stats.ts";
import { sqlIdentifier, sqlString } from "./write_parquet.ts";

/**
 * Statistics of a local Parquet file (for files the sink did not build row by row, such as
 * optimize's output): reads its rows back and computes them exactly as for a new batch.
 */
export async function statsOfParquet(
  connection: DuckDBConnection,
  path: string,
  fields: readonly StructField[],
): Promise<FileStats> {
  const select = fields.map((f) => {
    const id = sqlIdentifier(f.name);
    if (f.type === "timestamp") return `epoch_us(${id}) AS ${id}`;
    if (f.type === "long") return `CAST(${id} AS DOUBLE) AS ${id}`;
    return id;
  }).join(", ");
  const reader = await connection.runAndReadAll(
    `SELECT ${select} FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`,
  );
  const rows = reader.getRowsJS().map((row) =>
    row.map((cell) => (typeof cell === "bigint" ? Number(cell) : cell) as CellValue)
  );
  const columns: Column[] = fields.map((f) => ({ name: f.name, type: f.type, value: () => null }));
  return computeStats(columns, rows, new Set());
}
