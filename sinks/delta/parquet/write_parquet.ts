import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import type { Event } from "@analytics/schema";
import type { CellValue, Column } from "../columns.ts";
import { duckdbType } from "../log/schema.ts";
import { computeStats, type FileStats } from "../stats.ts";
import { sqlIdentifier, sqlString } from "./sql.ts";

/** Rows per Parquet row group: DuckDB's default, so a batch of up to ~120k rows is one group. */
export const ROW_GROUP_SIZE = 122_880;

/** Staging column type: timestamps stay BIGINT microseconds until the Parquet write. */
function stagingType(column: Column): string {
  return column.type === "timestamp" ? "BIGINT" : duckdbType(column.type);
}

/** Appends one cell with the appender call of the column's staging type. */
function appendCell(appender: DuckDBAppender, type: Column["type"], value: CellValue): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case "string":
      return appender.appendVarchar(value as string);
    case "double":
      return appender.appendDouble(value as number);
    case "integer":
      return appender.appendInteger(value as number);
    case "boolean":
      return appender.appendBoolean(value as boolean);
    case "long":
    case "timestamp":
      return appender.appendBigInt(BigInt(value as number));
    case "date":
      throw new Error("date columns are partition values, not file columns");
  }
}

/**
 * Writes the `columns` of `events` to a local ZSTD Parquet file with DuckDB and returns the
 * file's statistics. Cells go straight from the events through DuckDB's appender (no row arrays
 * in between) into a temporary table
 * (`staging`), the stats are one aggregate query over it, and the file is one COPY: timestamps
 * become TIMESTAMPTZ (Parquet INT64 micros, UTC), doubles stay DOUBLE (never DECIMAL).
 */
export async function writeParquet(
  connection: DuckDBConnection,
  columns: readonly Column[],
  events: readonly Event[],
  outputPath: string,
): Promise<FileStats> {
  const table = `staging_${crypto.randomUUID().replaceAll("-", "")}`;
  await connection.run(
    `CREATE TEMP TABLE ${table} (${
      columns.map((c) => `${sqlIdentifier(c.name)} ${stagingType(c)}`).join(", ")
    })`,
  );
  try {
    const appender = await connection.createAppender(table, "main", "temp");
    try {
      const types = columns.map((c) => c.type);
      for (const event of events) {
        for (let i = 0; i < types.length; i++) {
          appendCell(appender, types[i], columns[i].value(event));
        }
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    const stats = await computeStats(connection, columns, table);
    const select = columns.map((c) => {
      const id = sqlIdentifier(c.name);
      return c.type === "timestamp" ? `to_timestamp(0) + to_microseconds(${id}) AS ${id}` : id;
    }).join(", ");
    await connection.run(
      // sql-values: allow the output path the caller chose, quoted by sqlString
      `COPY (SELECT ${select} FROM ${table}) TO ${sqlString(outputPath)} ` +
        `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
    return stats;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
