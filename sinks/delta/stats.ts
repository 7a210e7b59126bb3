import type { DuckDBConnection } from "@duckdb/node-api";
import type { CellValue, Column } from "./columns.ts";
import { sqlIdentifier } from "./parquet/sql.ts";

/** Longest string kept as a min or max in the stats; a longer max is omitted, never truncated. */
export const STRING_STATS_LIMIT = 64;

/** Per-file statistics as Delta readers expect them in `add.stats` (a JSON string). */
export interface FileStats {
  numRecords: number;
  minValues: Record<string, CellValue>;
  maxValues: Record<string, CellValue>;
  nullCount: Record<string, number>;
}

/** Milliseconds ISO string of a microsecond time, rounded down (min) or up (max). */
function timestampStat(micros: number, roundUp: boolean): string {
  const ms = roundUp ? Math.ceil(micros / 1000) : Math.floor(micros / 1000);
  return new Date(ms).toISOString();
}

/**
 * Statistics of the rows of `from` (a table or subquery whose timestamp columns are BIGINT
 * microseconds) computed by DuckDB in one pass. DuckDB orders VARCHAR by UTF-8 bytes, the order
 * Delta readers use. Timestamps are widened to whole milliseconds (readers compare at that
 * precision); a string min longer than the limit becomes its prefix (still a lower bound); a
 * string max longer than the limit is left out. Booleans get only a null count.
 */
export async function computeStats(
  connection: DuckDBConnection,
  columns: readonly Column[],
  from: string,
): Promise<FileStats> {
  const parts = ["count(*)::BIGINT"];
  for (const column of columns) {
    const id = sqlIdentifier(column.name);
    parts.push(`(count(*) - count(${id}))::BIGINT`);
    if (column.type !== "boolean") parts.push(`min(${id})`, `max(${id})`);
  }
  const reader = await connection.runAndReadAll(`SELECT ${parts.join(", ")} FROM ${from}`);
  const row = reader.getRowsJS()[0].map((cell) => (typeof cell === "bigint" ? Number(cell) : cell));
  const raw: RawColumnStats[] = [];
  let i = 1;
  for (const column of columns) {
    const nullCount = row[i++] as number;
    if (column.type === "boolean") raw.push({ nullCount, min: null, max: null });
    else raw.push({ nullCount, min: row[i++] as CellValue, max: row[i++] as CellValue });
  }
  return fileStats(columns, row[0] as number, raw);
}

/** A column's null count and exact bounds (null when it has none), before the Delta rules. */
export interface RawColumnStats {
  nullCount: number;
  min: CellValue;
  max: CellValue;
}

/**
 * Delta file statistics of `numRecords` rows from each column's exact bounds (`raw[i]` is
 * `columns[i]`'s; timestamps as microseconds): timestamps widened to whole milliseconds, a string
 * min cut to its first STRING_STATS_LIMIT code points, a longer string max left out, booleans
 * with a null count only.
 */
export function fileStats(
  columns: readonly Column[],
  numRecords: number,
  raw: readonly RawColumnStats[],
): FileStats {
  const stats: FileStats = { numRecords, minValues: {}, maxValues: {}, nullCount: {} };
  columns.forEach((column, i) => {
    const { nullCount, min, max } = raw[i];
    stats.nullCount[column.name] = nullCount;
    if (column.type === "boolean" || min === null || max === null) return;
    if (column.type === "timestamp") {
      stats.minValues[column.name] = timestampStat(min as number, false);
      stats.maxValues[column.name] = timestampStat(max as number, true);
    } else if (column.type === "string") {
      stats.minValues[column.name] = [...(min as string)].slice(0, STRING_STATS_LIMIT).join("");
      if ([...(max as string)].length <= STRING_STATS_LIMIT) stats.maxValues[column.name] = max;
    } else if (column.type === "date") {
      stats.minValues[column.name] = String(min);
      stats.maxValues[column.name] = String(max);
    } else {
      stats.minValues[column.name] = min;
      stats.maxValues[column.name] = max;
    }
  });
  return stats;
}
