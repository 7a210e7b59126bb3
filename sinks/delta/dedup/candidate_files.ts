import { PARTITION_COLUMN } from "../columns.ts";
import type { AddAction } from "../log/actions.ts";

/** The smallest and largest `event_id` of a batch, or of a file by its stats. */
export interface IdRange {
  min: string;
  max: string;
}

/** Parsed `event_id` ranges of `add` actions (the same objects stay in the snapshot). */
const rangeCache = new WeakMap<AddAction, IdRange | null>();

/**
 * The `event_id` range a file's stats guarantee, or null when the stats do not carry both bounds
 * (no stats, a long-string rule left one out, unparsable JSON): such a file is always a candidate.
 */
export function fileIdRange(add: AddAction): IdRange | null {
  const cached = rangeCache.get(add);
  if (cached !== undefined) return cached;
  let range: IdRange | null = null;
  if (typeof add.stats === "string") {
    try {
      const stats = JSON.parse(add.stats) as {
        minValues?: Record<string, unknown>;
        maxValues?: Record<string, unknown>;
      };
      const min = stats.minValues?.event_id;
      const max = stats.maxValues?.event_id;
      if (typeof min === "string" && typeof max === "string") range = { min, max };
    } catch {
      range = null; // Unreadable stats prove nothing: the file stays a candidate.
    }
  }
  rangeCache.set(add, range);
  return range;
}

/** Compares strings by UTF-8 bytes, the order the stats were computed in (DuckDB, Delta). */
export function compareUtf8(a: string, b: string): number {
  // Below U+D800 UTF-16 units sort like UTF-8 bytes (UUIDs always do): skip the encoding.
  if (!ABOVE_SURROGATES.test(a) && !ABOVE_SURROGATES.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
const encoder = new TextEncoder();
const ABOVE_SURROGATES = /[\uD800-\uFFFF]/;

/** The range of `ids` in UTF-8 byte order; undefined for none. */
export function idRangeOf(ids: Iterable<string>): IdRange | undefined {
  let range: IdRange | undefined;
  for (const id of ids) {
    if (range === undefined) range = { min: id, max: id };
    else if (compareUtf8(id, range.min) < 0) range.min = id;
    else if (compareUtf8(id, range.max) > 0) range.max = id;
  }
  return range;
}

/**
 * The live files of partition `date` that may hold one of the batch's ids: those whose stats
 * range overlaps `batch` (`min <= batch.max` and `max >= batch.min`), and those without usable
 * stats. `files` is the snapshot's live files.
 */
export function candidateFiles(
  files: Iterable<AddAction>,
  date: string,
  batch: IdRange,
): AddAction[] {
  const out: AddAction[] = [];
  for (const add of files) {
    if (add.partitionValues[PARTITION_COLUMN] !== date) continue;
    const range = fileIdRange(add);
    if (
      range === null ||
      (compareUtf8(range.min, batch.max) <= 0 && compareUtf8(range.max, batch.min) >= 0)
    ) {
      out.push(add);
    }
  }
  return out;
}
