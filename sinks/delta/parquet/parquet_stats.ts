import type { DuckDBConnection } from "@duckdb/node-api";
import type { Column } from "../columns.ts";
import type { StructField } from "../log/schema.ts";
import { computeStats, type FileStats } from "../stats.ts";
import { sqlIdentifier, sqlString } from "./sql.ts";

/** Statistics of a local Parquet file with the table's `fields` (e.g. optimize's output). */
export async function statsOfParquet(
  connection: DuckDBConnection,
  path: string,
  fields: readonly StructField[],
): Promise<FileStats> {
  const select = fields.map((f) => {
    const id = sqlIdentifier(f.name);
    return f.type === "timestamp" ? `epoch_us(${id}) AS ${id}` : id;
  }).join(", ");
  const columns: Column[] = fields.map((f) => ({ name: f.name, type: f.type, value: () => null }));
  return await computeStats(
    connection,
    columns,
    // sql-values: allow a path of a file this process wrote, quoted by sqlString
    `(SELECT ${select} FROM read_parquet(${sqlString(path)}, hive_partitioning = false))`,
  );
}
