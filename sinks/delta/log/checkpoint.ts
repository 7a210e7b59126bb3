import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import type { ObjectStore } from "../storage/object_store.ts";
import { type Action, checkpointKey, LOG_DIR } from "./actions.ts";
import type { Snapshot } from "./snapshot.ts";
import { sqlString } from "../parquet/sql.ts";

/** Key of the pointer to the latest checkpoint. */
export const LAST_CHECKPOINT_KEY = `${LOG_DIR}/_last_checkpoint`;

/** Content of `_last_checkpoint`. */
export interface LastCheckpoint {
  version: number;
  size: number;
}

const MAP = "MAP(VARCHAR, VARCHAR)";
/** Column types of a classic checkpoint: one struct column per action kind, one action per row. */
const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: "STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)",
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, ` +
    `dataChange BOOLEAN, stats VARCHAR, tags ${MAP})`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, ` +
    `extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT)`,
  metaData: `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider ` +
    `VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], ` +
    `configuration ${MAP}, createdTime BIGINT)`,
  protocol: "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)",
};

/** True when a checkpoint is due after committing `version` (every `interval` commits). */
export function checkpointDue(version: number, interval: number): boolean {
  return interval > 0 && version > 0 && version % interval === 0;
}

/** Reads `_last_checkpoint`, or undefined when the table has no checkpoint. */
export async function readLastCheckpoint(store: ObjectStore): Promise<LastCheckpoint | undefined> {
  const bytes = await store.get(LAST_CHECKPOINT_KEY);
  if (bytes === undefined) return undefined;
  return JSON.parse(new TextDecoder().decode(bytes)) as LastCheckpoint;
}

/** Runs `work` with a throwaway in-memory DuckDB connection and a temporary folder. */
async function withScratch<T>(
  work: (run: (sql: string) => Promise<unknown[]>, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "delta-checkpoint-" });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await work(
      async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson(),
      dir,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Writes a classic single-file Parquet checkpoint of `snapshot` and points `_last_checkpoint` at
 * it. Both are plain puts: any writer that checkpoints the same version writes the same state.
 */
export async function writeCheckpoint(store: ObjectStore, snapshot: Snapshot): Promise<void> {
  const actions = snapshot.reconcile();
  await withScratch(async (run, dir) => {
    const jsonPath = join(dir, "actions.ndjson");
    const parquetPath = join(dir, "checkpoint.parquet");
    await Deno.writeTextFile(jsonPath, actions.map((a) => JSON.stringify(a)).join("\n") + "\n");
    const declared = Object.entries(CHECKPOINT_COLUMNS).map(([name, type]) =>
      `${name}: ${sqlString(type)}`
    ).join(", ");
    await run(
      // sql-values: allow paths in this process's scratch folder, quoted by sqlString
      `COPY (SELECT * FROM read_json(${sqlString(jsonPath)}, format = 'newline_delimited', ` +
        `columns = {${declared}}, maximum_object_size = 268435456)) ` +
        `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await store.putFile(checkpointKey(snapshot.version), parquetPath);
  });
  const last: LastCheckpoint = { version: snapshot.version, size: actions.length };
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode(JSON.stringify(last)));
}

/** Reads the actions of the checkpoint at `version`. */
export async function readCheckpointActions(
  store: ObjectStore,
  version: number,
): Promise<Action[]> {
  const bytes = await store.get(checkpointKey(version));
  if (bytes === undefined) {
    throw new Error(`_last_checkpoint names version ${version} but its checkpoint file is missing`);
  }
  return await withScratch(async (run, dir) => {
    const path = join(dir, "checkpoint.parquet");
    await Deno.writeFile(path, bytes);
    // sql-values: allow a path in this process's scratch folder, quoted by sqlString
    const rows = await run(`SELECT to_json(t) AS row FROM read_parquet(${sqlString(path)}) t`);
    const actions: Action[] = [];
    for (const { row } of rows as { row: string }[]) {
      const parsed = JSON.parse(row) as Record<string, unknown>;
      for (const [kind, value] of Object.entries(parsed)) {
        if (value !== null && kind in CHECKPOINT_COLUMNS) {
          actions.push({ [kind]: dropNulls(value) } as Action);
        }
      }
    }
    return actions;
  });
}

/** The object without its null fields (a checkpoint stores absent optional fields as null). */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) out[key] = field;
  }
  return out;
}
