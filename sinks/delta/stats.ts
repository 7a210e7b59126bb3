import type { CellValue, Column } from "./columns.ts";

/** Longest string kept as a min or max in the stats; a longer max is omitted, never truncated. */
export const STRING_STATS_LIMIT = 64;

/** Per-file statistics as Delta readers expect them in `add.stats` (a JSON string). */
export interface FileStats {
  numRecords: number;
  minValues: Record<string, CellValue>;
  maxValues: Record<string, CellValue>;
  nullCount: Record<string, number>;
}

/**
 * Compares strings by Unicode code point (the order of their UTF-8 bytes, which readers use),
 * not by UTF-16 code unit as `<` does.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF: move them above U+E000–FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Milliseconds ISO string of a microsecond time, rounded down (min) or up (max). */
function timestampStat(micros: number, roundUp: boolean): string {
  const ms = roundUp ? Math.ceil(micros / 1000) : Math.floor(micros / 1000);
  return new Date(ms).toISOString();
}

/**
 * Statistics of `rows` (each in the order of `columns`) for the data columns (`skip` names the
 * partition columns, which are not in the file). Timestamps are widened to whole milliseconds
 * (readers compare at that precision); a string min longer than the limit becomes its prefix (still
 * a lower bound); a string max longer than the limit is left out.
 */
export function computeStats(
  columns: readonly Column[],
  rows: readonly CellValue[][],
  skip: ReadonlySet<string>,
): FileStats {
  const stats: FileStats = {
    numRecords: rows.length,
    minValues: {},
    maxValues: {},
    nullCount: {},
  };
  columns.forEach((column, index) => {
    if (skip.has(column.name)) return;
    let nulls = 0;
    let min: CellValue = null;
    let max: CellValue = null;
    let maxTooLong = false;
    for (const row of rows) {
      const value = row[index];
      if (value === null || value === undefined) {
        nulls++;
        continue;
      }
      if (column.type === "boolean") continue;
      if (typeof value === "string") {
        if (min === null || compareCodePoints(value, min as string) < 0) min = value;
        if (max === null || compareCodePoints(value, max as string) > 0) max = value;
      } else if (typeof value === "number") {
        if (Number.isNaN(value)) continue;
        if (min === null || value < (min as number)) min = value;
        if (max === null || value > (max as number)) max = value;
      }
    }
    stats.nullCount[column.name] = nulls;
    if (min === null || max === null) return;
    if (column.type === "timestamp") {
      stats.minValues[column.name] = timestampStat(min as number, false);
      stats.maxValues[column.name] = timestampStat(max as number, true);
    } else if (column.type === "string") {
      stats.minValues[column.name] = [...(min as string)].slice(0, STRING_STATS_LIMIT).join("");
      maxTooLong = [...(max as string)].length > STRING_STATS_LIMIT;
      if (!maxTooLong) stats.maxValues[column.name] = max;
    } else {
      stats.minValues[column.name] = min;
      stats.maxValues[column.name] = max;
    }
  });
  return stats;
}
