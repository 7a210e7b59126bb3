import { makeData, RecordBatch, Schema, Struct, Table, tableToIPC } from "apache-arrow";
import initParquetWasm, {
  Compression,
  Table as WasmTable,
  writeParquet as writeParquetWasm,
  WriterPropertiesBuilder,
} from "parquet-wasm/esm";
import type { Event } from "@analytics/schema";
import type { Column } from "../columns.ts";
import { type FileStats, fileStats } from "../stats.ts";
import { arrowColumns } from "./arrow_columns.ts";

/** Rows per Parquet row group: DuckDB's default, so a batch of up to ~120k rows is one group. */
export const ROW_GROUP_SIZE = 122_880;

let parquetWasm: Promise<unknown> | undefined;

/**
 * Loads arrow-rs' Parquet writer (WebAssembly) once per process; a store calls it when it opens,
 * so a writer that cannot load fails at start-up, not at its first batch.
 */
export async function loadParquetWriter(): Promise<void> {
  parquetWasm ??= initParquetWasm().catch((error) => {
    parquetWasm = undefined; // a failed load (e.g. no read permission) can be retried
    throw error;
  });
  await parquetWasm;
}

/**
 * Writes the `columns` of `events` to a local ZSTD Parquet file and returns the file's Delta
 * statistics. Each column is read from the events once into Arrow buffers (its null count and
 * bounds found in the same pass), and arrow-rs' Parquet writer compiled to WebAssembly
 * (parquet-wasm) encodes the batch: timestamps as INT64 micros UTC, doubles as DOUBLE, strings
 * dictionary-encoded when they repeat. ZSTD is at arrow-rs' default level (1): parquet-wasm
 * 0.8.0 takes no level.
 */
export async function writeParquet(
  columns: readonly Column[],
  events: readonly Event[],
  outputPath: string,
): Promise<FileStats> {
  await loadParquetWriter();
  const built = arrowColumns(columns, events);
  const fields = built.map((c) => c.field);
  const batch = new RecordBatch(
    new Schema(fields),
    makeData({
      type: new Struct(fields),
      length: events.length,
      nullCount: 0,
      children: built.map((c) => c.data),
    }),
  );
  let properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP_SIZE);
  for (const { field, dictionary } of built) {
    properties = properties.setColumnDictionaryEnabled(field.name, dictionary);
  }
  const bytes = writeParquetWasm(
    WasmTable.fromIPCStream(tableToIPC(new Table([batch]), "stream")),
    properties.build(),
  );
  await Deno.writeFile(outputPath, bytes);
  return fileStats(columns, events.length, built.map((c) => c.stats));
}
