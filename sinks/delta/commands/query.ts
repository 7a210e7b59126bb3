import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import { PARTITION_COLUMN } from "../columns.ts";
import { parseSchemaString } from "../log/schema.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { sqlIdentifier, sqlString } from "../parquet/sql.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { duckdbType } from "../log/schema.ts";

/**
 * Runs ad-hoc SQL over the table as of `version` (default: latest) with DuckDB: the snapshot's
 * files are exposed as the view `analytics_events` (partition column included, columns added by
 * later schema versions as NULL). Files on S3 are downloaded to a scratch folder first (DuckDB has
 * no S3 access offline). Returns rows as JSON-compatible objects.
 */
export async function queryTable(
  objects: ObjectStore,
  connection: DuckDBConnection,
  sql: string,
  options: { version?: number; viewName?: string } = {},
): Promise<Record<string, unknown>[]> {
  const snapshot = await loadSnapshot(objects, options.version);
  if (snapshot.metaData === undefined) throw new Error(`${objects.location} has no table`);
  const fields = parseSchemaString(snapshot.metaData.schemaString).fields;
  const view = sqlIdentifier(options.viewName ?? "analytics_events");
  const scratch = await Deno.makeTempDir({ prefix: "delta-query-" });
  try {
    const parts: string[] = [];
    let i = 0;
    for (const add of snapshot.files.values()) {
      let path = objects.url(add.path);
      if (path.startsWith("s3://")) {
        const bytes = await objects.get(add.path);
        if (bytes === undefined) throw new Error(`${add.path} is in the log but not in storage`);
        path = join(scratch, `f${i++}.parquet`);
        await Deno.writeFile(path, bytes);
      }
      const date = add.partitionValues[PARTITION_COLUMN];
      const dateSql = date === null || date === undefined ? "NULL" : sqlString(date);
      parts.push(
        `SELECT *, ${dateSql}::DATE AS ${sqlIdentifier(PARTITION_COLUMN)} ` +
          // sql-values: allow a path this process chose, quoted; a view cannot take parameters
          `FROM read_parquet(${sqlString(path)}, hive_partitioning = false)`,
      );
    }
    // UNION ALL BY NAME with an empty typed row fills the columns a file predates with NULL.
    const typed = fields.map((f) => `NULL::${duckdbType(f.type)} AS ${sqlIdentifier(f.name)}`);
    const columns = fields.map((f) =>
      `CAST(${sqlIdentifier(f.name)} AS ${duckdbType(f.type)}) AS ${sqlIdentifier(f.name)}`
    );
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${view} AS SELECT ${columns.join(", ")} FROM (` +
        [`SELECT ${typed.join(", ")} WHERE false`, ...parts].join(" UNION ALL BY NAME ") + ")",
    );
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    await connection.run(`DROP VIEW IF EXISTS ${view}`);
    await Deno.remove(scratch, { recursive: true });
  }
}
