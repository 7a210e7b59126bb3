import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import { PARTITION_COLUMN } from "../columns.ts";
import type { Action, AddAction } from "../log/actions.ts";
import { checkpointDue, writeCheckpoint } from "../log/checkpoint.ts";
import { commitWithRetry, ConcurrentModificationError } from "../log/commit.ts";
import { parseSchemaString } from "../log/schema.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { ROW_GROUP_SIZE } from "../parquet/write_parquet.ts";
import { sqlIdentifier, sqlString } from "../parquet/sql.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import type { FileStats } from "../stats.ts";
import { statsOfParquet } from "../parquet/parquet_stats.ts";
import { duckdbType } from "../log/schema.ts";

/** Options of `optimize`. */
export interface OptimizeOptions {
  /** Files smaller than this are compacted (default 64 MiB). */
  smallFileBytes?: number;
  /** Checkpoint interval to honour for the commit (default 10). */
  checkpointInterval?: number;
}

/** What `optimize` did. */
export interface OptimizeResult {
  version: number | undefined;
  filesRemoved: number;
  filesAdded: number;
}

/**
 * Compacts the small files of each date into one: reads them with DuckDB, writes one ZSTD Parquet
 * file, and commits `remove` (of the small files) + `add` (of the new one), all `dataChange:
 * false`. The commit is conflict-checked: if a concurrent commit removed any of the small files
 * (another optimize), it fails with ConcurrentModificationError and the new files are deleted;
 * concurrent appends are fine (their files are simply not part of this compaction).
 */
export async function optimize(
  objects: ObjectStore,
  connection: DuckDBConnection,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const smallFileBytes = options.smallFileBytes ?? 64 * 1024 * 1024;
  const snapshot = await loadSnapshot(objects);
  if (snapshot.metaData === undefined) throw new Error(`${objects.location} has no table`);
  const fields = parseSchemaString(snapshot.metaData.schemaString).fields.filter((f) =>
    f.name !== PARTITION_COLUMN
  );
  const groups = new Map<string, AddAction[]>();
  for (const add of snapshot.files.values()) {
    if (add.size >= smallFileBytes) continue;
    const date = add.partitionValues[PARTITION_COLUMN] ?? "";
    groups.set(date, [...(groups.get(date) ?? []), add]);
  }
  const scratch = await Deno.makeTempDir({ prefix: "delta-optimize-" });
  const added: AddAction[] = [];
  const removed: AddAction[] = [];
  try {
    for (const [date, files] of groups) {
      if (files.length < 2) continue;
      const locals: string[] = [];
      for (const [i, file] of files.entries()) {
        const bytes = await objects.get(file.path);
        if (bytes === undefined) throw new Error(`${file.path} is in the log but not in storage`);
        // A name never used before in this run: DuckDB caches a Parquet file's metadata by path,
        // so reusing a name for another date's file read that file with the first one's footer
        // (ZSTD decompression failures).
        const local = join(scratch, `in-${date}-${i}.parquet`);
        await Deno.writeFile(local, bytes);
        locals.push(local);
      }
      const name = `part-00000-${crypto.randomUUID()}-c000.zstd.parquet`;
      const output = join(scratch, name);
      // Files written before a schema evolution lack the newer columns: an empty typed row
      // UNION ALL BY NAME fills them with NULL.
      const typed = fields.map((f) => `NULL::${duckdbType(f.type)} AS ${sqlIdentifier(f.name)}`);
      const select = fields.map((f) =>
        `CAST(${sqlIdentifier(f.name)} AS ${duckdbType(f.type)}) AS ${sqlIdentifier(f.name)}`
      ).join(", ");
      await connection.run(
        `COPY (SELECT ${select} FROM (SELECT ${typed.join(", ")} WHERE false UNION ALL BY NAME ` +
          `SELECT * FROM read_parquet([${locals.map(sqlString).join(", ")}], ` +
          `union_by_name = true, hive_partitioning = false))) TO ${sqlString(output)} ` +
          `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
      );
      const stats: FileStats = await statsOfParquet(connection, output, fields);
      const key = `${PARTITION_COLUMN}=${date}/${name}`;
      await objects.putFile(key, output);
      added.push({
        path: key,
        partitionValues: { [PARTITION_COLUMN]: date },
        size: (await Deno.stat(output)).size,
        modificationTime: Date.now(),
        dataChange: false,
        stats: JSON.stringify(stats),
      });
      removed.push(...files);
    }
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
  if (added.length === 0) return { version: undefined, filesRemoved: 0, filesAdded: 0 };

  let version: number | undefined;
  try {
    version = await commitWithRetry(objects, snapshot, (current) => {
      const gone = removed.filter((f) => !current.files.has(f.path));
      if (gone.length > 0) {
        throw new ConcurrentModificationError(
          `optimize: ${gone.length} file(s) it compacts were removed by a concurrent commit`,
        );
      }
      const now = Date.now();
      const actions: Action[] = [{
        commitInfo: {
          timestamp: now,
          operation: "OPTIMIZE",
          operationParameters: { targetSize: String(smallFileBytes) },
          engineInfo: "analytics-sink-delta",
          isBlindAppend: false,
        },
      }];
      for (const f of removed) {
        actions.push({
          remove: {
            path: f.path,
            deletionTimestamp: now,
            dataChange: false,
            extendedFileMetadata: true,
            partitionValues: f.partitionValues,
            size: f.size,
          },
        });
      }
      for (const add of added) actions.push({ add });
      return Promise.resolve(actions);
    });
  } catch (error) {
    for (const add of added) await objects.delete(add.path);
    throw error;
  }
  if (version !== undefined && checkpointDue(version, options.checkpointInterval ?? 10)) {
    await writeCheckpoint(objects, snapshot);
  }
  return { version, filesRemoved: removed.length, filesAdded: added.length };
}
