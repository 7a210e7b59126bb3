import type { DuckDBConnection } from "@duckdb/node-api";
import type { DecodedRecord } from "../../loop/sink_store.ts";
import { eventTimeMicros, utcDate } from "../columns.ts";
import type { AddAction } from "../log/actions.ts";
import { candidateFiles, idRangeOf } from "./candidate_files.ts";
import { existingIds } from "./existing_ids.ts";

/** What `dropStored` needs besides the records. */
export interface DropStoredOptions {
  connection: DuckDBConnection;
  /** The table's live files (the snapshot the commit is built against). */
  files: Iterable<AddAction>;
  /** Local paths DuckDB can read for these keys (in place, or cached copies of S3 objects). */
  localPaths(keys: readonly string[]): Promise<string[]>;
  /**
   * Files already checked against these records by an earlier attempt of the same commit (whose
   * result the caller kept): skipped, and the files read now are added.
   */
  checked?: Set<string>;
}

/** The records left, and what it took. */
export interface DropStoredResult {
  records: DecodedRecord[];
  /** Paths of the files read (added to `checked` when given). */
  filesRead: string[];
  /** Records dropped because their event_id is already in the table. */
  dropped: number;
}

/**
 * Drops the records whose `event_id` the table already holds. The same event always has the same
 * event time, hence the same `event_date` partition, so for each date of the batch only that
 * partition's files whose `event_id` stats range overlaps the batch's ids are read (their
 * `event_id` column only). Records must already be unique by id (`firstOfEachId`).
 */
export async function dropStored(
  records: readonly DecodedRecord[],
  options: DropStoredOptions,
): Promise<DropStoredResult> {
  const byDate = new Map<string, DecodedRecord[]>();
  const dateOfDay = new Map<number, string>(); // formatting a date per record costs µs each
  for (const record of records) {
    const micros = eventTimeMicros(record.event);
    const day = Math.floor(micros / 86_400_000_000);
    let date = dateOfDay.get(day);
    if (date === undefined) dateOfDay.set(day, date = utcDate(micros));
    let list = byDate.get(date);
    if (list === undefined) byDate.set(date, list = []);
    list.push(record);
  }
  const files = [...options.files];
  const stored = new Set<string>();
  const filesRead: string[] = [];
  for (const [date, list] of byDate) {
    const ids = list.map((r) => r.event.eventId);
    const range = idRangeOf(ids)!;
    const keys = candidateFiles(files, date, range).map((f) => f.path)
      .filter((path) => !options.checked?.has(path));
    if (keys.length === 0) continue;
    let found: Set<string>;
    try {
      found = await existingIds(options.connection, await options.localPaths(keys), ids);
    } catch {
      // A process sharing the cache may have evicted a copy between download and read: asking
      // for the paths again downloads what is missing; a second failure is a real one.
      found = await existingIds(options.connection, await options.localPaths(keys), ids);
    }
    for (const id of found) stored.add(id);
    filesRead.push(...keys);
    for (const key of keys) options.checked?.add(key);
  }
  if (stored.size === 0) return { records: [...records], filesRead, dropped: 0 };
  const kept = records.filter((r) => !stored.has(r.event.eventId));
  return { records: kept, filesRead, dropped: records.length - kept.length };
}
