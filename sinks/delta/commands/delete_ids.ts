import { type DuckDBConnection, type DuckDBValue, listValue } from "@duckdb/node-api";
import { join } from "node:path";
import { PARTITION_COLUMN } from "../columns.ts";
import type { Action, AddAction } from "../log/actions.ts";
import { checkpointDue, writeCheckpoint } from "../log/checkpoint.ts";
import { commitWithRetry } from "../log/commit.ts";
import { parseSchemaString, type StructField } from "../log/schema.ts";
import { loadSnapshot, type Snapshot } from "../log/snapshot.ts";
import { statsOfParquet } from "../parquet/parquet_stats.ts";
import { sqlIdentifier } from "../parquet/sql.ts";
import { ROW_GROUP_SIZE } from "../parquet/write_parquet.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { compareUtf8 } from "../dedup/candidate_files.ts";

/** The ids whose rows a deletion removes: a row goes when any listed column holds a listed id. */
export interface IdsToDelete {
  /** Values of `user_id` to delete. */
  userIds: readonly string[];
  /** Values of `anonymous_id` to delete. */
  anonymousIds: readonly string[];
}

/** Options of `deleteIds`. */
export interface DeleteIdsOptions {
  /** Recorded in the commit's `operationParameters` (never the ids themselves). */
  deletionId: string;
  /** Checkpoint interval to honour for the commit (default 10). */
  checkpointInterval?: number;
}

/** What `deleteIds` did. */
export interface DeleteIdsResult {
  /** The commit's version; undefined when no live file held the ids. */
  version: number | undefined;
  /** Rows removed from the latest version. */
  rowsDeleted: number;
  /** Files removed (each rewritten without the rows, or dropped when nothing else was in it). */
  filesRewritten: number;
  /** Files read because their stats could not rule the ids out. */
  filesScanned: number;
}

/** One file to replace: the live file, its rows removed, and the rewrite (none when empty). */
interface Rewrite {
  source: AddAction;
  rowsDeleted: number;
  replacement: AddAction | undefined;
}

/**
 * Deletes every row whose `user_id` or `anonymous_id` is one of `ids` from the latest version of
 * the table: each live file that holds such rows (found by its stats, then read with DuckDB) is
 * rewritten without them, and one commit (`operation: DELETE`) removes the old files and adds
 * the rewrites, `dataChange: true`. The commit goes through `commitWithRetry`: after a lost race
 * the builder drops rewrites of files a concurrent commit removed (an optimize) and checks the
 * files added since (appends, the compacted file), so nothing is resurrected or missed. Older
 * versions keep the rows until vacuum deletes the removed files.
 */
export async function deleteIds(
  objects: ObjectStore,
  connection: DuckDBConnection,
  ids: IdsToDelete,
  options: DeleteIdsOptions,
): Promise<DeleteIdsResult> {
  const snapshot = await loadSnapshot(objects);
  if (snapshot.metaData === undefined) {
    // No table yet (no lake sink has written): nothing to delete.
    return { version: undefined, rowsDeleted: 0, filesRewritten: 0, filesScanned: 0 };
  }
  const fields = parseSchemaString(snapshot.metaData.schemaString).fields.filter((f) =>
    f.name !== PARTITION_COLUMN
  );
  const scratch = await Deno.makeTempDir({ prefix: "delta-delete-" });
  const scanned = new Set<string>();
  const plan = new Map<string, Rewrite>();
  let filesScanned = 0;
  const uploaded: string[] = [];
  const scan = async (current: Snapshot) => {
    for (const add of current.files.values()) {
      if (scanned.has(add.path)) continue;
      scanned.add(add.path);
      if (!mayHold(add, ids)) continue;
      filesScanned++;
      const rewrite = await rewriteWithout(objects, connection, add, ids, fields, scratch);
      if (rewrite === undefined) continue;
      if (rewrite.replacement) uploaded.push(rewrite.replacement.path);
      plan.set(add.path, rewrite);
    }
  };
  try {
    let version: number | undefined;
    try {
      version = await commitWithRetry(objects, snapshot, async (current) => {
        for (const [path, rewrite] of plan) {
          // A concurrent commit removed it (an optimize): its rows now live in a file scanned below.
          if (!current.files.has(path)) {
            plan.delete(path);
            if (rewrite.replacement) await objects.delete(rewrite.replacement.path);
          }
        }
        await scan(current);
        if (plan.size === 0) return undefined;
        const now = Date.now();
        const rewrites = [...plan.values()];
        const actions: Action[] = [{
          commitInfo: {
            timestamp: now,
            operation: "DELETE",
            operationParameters: { predicate: `suppressed ids of deletion ${options.deletionId}` },
            engineInfo: "analytics-admin",
            isBlindAppend: false,
            operationMetrics: {
              numRemovedFiles: String(rewrites.length),
              numAddedFiles: String(rewrites.filter((r) => r.replacement).length),
              numDeletedRows: String(rewrites.reduce((n, r) => n + r.rowsDeleted, 0)),
            },
          },
        }];
        for (const { source } of rewrites) {
          actions.push({
            remove: {
              path: source.path,
              deletionTimestamp: now,
              dataChange: true,
              extendedFileMetadata: true,
              partitionValues: source.partitionValues,
              size: source.size,
            },
          });
        }
        for (const { replacement } of rewrites) if (replacement) actions.push({ add: replacement });
        return actions;
      });
    } catch (error) {
      for (const key of uploaded) await objects.delete(key).catch(() => {});
      throw error;
    }
    if (version !== undefined && checkpointDue(version, options.checkpointInterval ?? 10)) {
      await writeCheckpoint(objects, snapshot);
    }
    const rewrites = [...plan.values()];
    return {
      version,
      rowsDeleted: rewrites.reduce((n, r) => n + r.rowsDeleted, 0),
      filesRewritten: rewrites.length,
      filesScanned,
    };
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

/**
 * The anonymous ids that rows of `userId` carry in the latest version (the links `identify`
 * made), read from the files whose `user_id` stats do not rule the user out.
 */
export async function linkedAnonymousIds(
  objects: ObjectStore,
  connection: DuckDBConnection,
  userId: string,
): Promise<string[]> {
  const snapshot = await loadSnapshot(objects);
  const scratch = await Deno.makeTempDir({ prefix: "delta-links-" });
  const found = new Set<string>();
  try {
    for (const add of snapshot.files.values()) {
      if (!mayHold(add, { userIds: [userId], anonymousIds: [] })) continue;
      const local = await download(objects, add.path, scratch);
      const reader = await connection.runAndReadAll(
        "SELECT DISTINCT anonymous_id FROM read_parquet($1, hive_partitioning = false) " +
          "WHERE user_id = $2 AND anonymous_id IS NOT NULL AND anonymous_id <> ''",
        [local, userId],
      );
      for (const [id] of reader.getRowsJS()) found.add(id as string);
      await Deno.remove(local);
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  return [...found].sort();
}

/** False when the file's stats prove it holds none of the ids (both columns' ranges miss them). */
export function mayHold(add: AddAction, ids: IdsToDelete): boolean {
  if (typeof add.stats !== "string") return true;
  let stats: {
    numRecords?: number;
    minValues?: Record<string, unknown>;
    maxValues?: Record<string, unknown>;
    nullCount?: Record<string, unknown>;
  };
  try {
    stats = JSON.parse(add.stats);
  } catch {
    return true;
  }
  const column = (name: string, wanted: readonly string[]) => {
    if (wanted.length === 0) return false;
    if (stats.numRecords !== undefined && stats.nullCount?.[name] === stats.numRecords) {
      return false; // Every value is NULL.
    }
    const min = stats.minValues?.[name];
    const max = stats.maxValues?.[name];
    // A missing bound (no stats, a long string left out) proves nothing.
    if (typeof min !== "string" || typeof max !== "string") return true;
    return wanted.some((id) => compareUtf8(min, id) <= 0 && compareUtf8(id, max) <= 0);
  };
  return column("user_id", ids.userIds) || column("anonymous_id", ids.anonymousIds);
}

/**
 * SQL that is true for rows carrying one of the ids (never NULL), with the id lists as parameters
 * numbered from `$first`, and those parameters' values.
 */
function matchSql(ids: IdsToDelete, first: number): { sql: string; values: DuckDBValue[] } {
  const parts: string[] = [];
  const values: DuckDBValue[] = [];
  const add = (column: string, list: readonly string[]) => {
    if (list.length === 0) return;
    values.push(listValue([...list]));
    parts.push(
      `coalesce(list_contains($${first + values.length - 1}::VARCHAR[], ${column}), false)`,
    );
  };
  add("user_id", ids.userIds);
  add("anonymous_id", ids.anonymousIds);
  return { sql: parts.length === 0 ? "false" : `(${parts.join(" OR ")})`, values };
}

/** Copies a data file to a local path DuckDB can read. */
async function download(objects: ObjectStore, key: string, scratch: string): Promise<string> {
  const bytes = await objects.get(key);
  if (bytes === undefined) throw new Error(`${key} is in the log but not in storage`);
  const local = join(scratch, `${crypto.randomUUID()}.parquet`);
  await Deno.writeFile(local, bytes);
  return local;
}

/** Rewrites `add` without the rows of `ids`; undefined when it holds none. */
async function rewriteWithout(
  objects: ObjectStore,
  connection: DuckDBConnection,
  add: AddAction,
  ids: IdsToDelete,
  fields: readonly StructField[],
  scratch: string,
): Promise<Rewrite | undefined> {
  const local = await download(objects, add.path, scratch);
  try {
    // Every value is a parameter: $1 the file, then the id lists, then the output file.
    const source = "read_parquet($1, hive_partitioning = false)";
    const match = matchSql(ids, 2);
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS hit, (SELECT count(*) FROM ${source})::BIGINT AS total ` +
        `FROM ${source} WHERE ${match.sql}`,
      [local, ...match.values],
    );
    const [hit, total] = reader.getRowsJS()[0].map(Number);
    if (hit === 0) return undefined;
    if (hit === total) return { source: add, rowsDeleted: hit, replacement: undefined };
    const date = add.partitionValues[PARTITION_COLUMN] ?? "";
    const name = `part-00000-${crypto.randomUUID()}-c000.zstd.parquet`;
    const output = join(scratch, name);
    const columns = fields.map((f) => sqlIdentifier(f.name));
    // Files written before a schema evolution lack newer columns; keep the file's own columns.
    const present = new Set(
      (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`, [local])).getRowsJS()
        .map((row) => String(row[0])),
    );
    const kept = columns.filter((_, i) => present.has(fields[i].name));
    await connection.run(
      `COPY (SELECT ${kept.join(", ")} FROM ${source} WHERE NOT ${match.sql}) ` +
        `TO $${match.values.length + 2} (FORMAT parquet, COMPRESSION zstd, ` +
        `ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
      [local, ...match.values, output],
    );
    const stats = await statsOfParquet(
      connection,
      output,
      fields.filter((f) => present.has(f.name)),
    );
    const key = `${PARTITION_COLUMN}=${date}/${name}`;
    await objects.putFile(key, output);
    const size = (await Deno.stat(output)).size;
    await Deno.remove(output);
    return {
      source: add,
      rowsDeleted: hit,
      replacement: {
        path: key,
        partitionValues: add.partitionValues,
        size,
        modificationTime: Date.now(),
        dataChange: true,
        stats: JSON.stringify(stats),
      },
    };
  } finally {
    await Deno.remove(local);
  }
}
