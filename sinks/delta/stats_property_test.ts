// Property test of the Delta file statistics (fast-check): for random rows of every column type
// written by the lake's own Parquet writer, numRecords, nullCount, minValues and maxValues agree
// with the rows; strings compare by UTF-8 bytes as Delta readers do; a string max is the exact
// max or absent, never truncated; a string min is the true min or its prefix. DuckDB reads the
// same rows back from the file, and its statistics of the file are the writer's.
import assert from "node:assert/strict";
import fc from "fast-check";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Event } from "@analytics/schema";
import type { CellValue, Column, DeltaType } from "./columns.ts";
import { structTypeOf } from "./log/schema.ts";
import { statsOfParquet } from "./parquet/parquet_stats.ts";
import { sqlString } from "./parquet/sql.ts";
import { writeParquet } from "./parquet/write_parquet.ts";
import { STRING_STATS_LIMIT } from "./stats.ts";

type Row = Record<string, CellValue>;

const TYPES: Record<string, DeltaType> = {
  s: "string",
  d: "double",
  l: "long",
  i: "integer",
  t: "timestamp",
  b: "boolean",
};
const COLUMNS: Column[] = Object.entries(TYPES).map(([name, type]) => ({
  name,
  type,
  value: (row: Event) => (row as unknown as Row)[name],
}));

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const rowArb: fc.Arbitrary<Row> = fc.record({
  // Short and long strings, any Unicode (astral code points order differently in UTF-16).
  s: nullable(fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.string({ unit: "grapheme", minLength: 60, maxLength: 80 }),
  )),
  d: nullable(fc.double({ noNaN: true, noDefaultInfinity: true })),
  l: nullable(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })),
  i: nullable(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  // Microseconds between 1970 and 2100.
  t: nullable(fc.integer({ min: 0, max: 4_102_444_800_000_000 })),
  b: nullable(fc.boolean()),
});

const utf8 = new TextEncoder();
/** Byte-wise UTF-8 order (code point order), as Parquet and Delta readers compare strings. */
function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
  return x.length - y.length;
}

const codePoints = (s: string) => [...s];

/** The stats as a Delta log holds them (JSON: -0 and 0 are the same bound there). */
const zeroSigned = (stats: unknown) => JSON.parse(JSON.stringify(stats));

Deno.test("property: Delta stats agree with the rows written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "delta-stats-prop-" });
  const duck = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await duck.connect();
  let file = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
        const path = `${dir}/${file++}.parquet`;
        const stats = await writeParquet(COLUMNS, rows as unknown as Event[], path);
        assert.equal(stats.numRecords, rows.length);
        const read = await connection.runAndReadAll(
          // sql-values: allow a path of a file this test wrote, quoted by sqlString
          `SELECT s, d, l, i, epoch_us(t), b FROM read_parquet(${sqlString(path)})`,
        );
        const back = read.getRowsJS().map((cells) => {
          const [s, d, l, i, t, b] = cells.map((c) => (typeof c === "bigint" ? Number(c) : c));
          return { s, d, l, i, t, b };
        });
        assert.deepEqual(back, rows.map((r) => ({ ...r })), "DuckDB reads the rows written");
        const fromFile = await statsOfParquet(connection, path, structTypeOf(COLUMNS).fields);
        assert.deepEqual(zeroSigned(fromFile), zeroSigned(stats), "DuckDB's stats of the file");
        for (const [name, type] of Object.entries(TYPES)) {
          const values = rows.map((r) => r[name]).filter((v) => v !== null);
          assert.equal(stats.nullCount[name], rows.length - values.length, `nullCount ${name}`);
          const min = stats.minValues[name], max = stats.maxValues[name];
          if (type === "boolean" || values.length === 0) {
            assert.ok(!(name in stats.minValues) && !(name in stats.maxValues), name);
            continue;
          }
          if (type === "string") {
            const sorted = (values as string[]).slice().sort(compareUtf8);
            const [lo, hi] = [sorted[0], sorted[sorted.length - 1]];
            assert.equal(min, codePoints(lo).slice(0, STRING_STATS_LIMIT).join(""), "string min");
            if (codePoints(hi).length <= STRING_STATS_LIMIT) assert.equal(max, hi, "string max");
            else assert.ok(!(name in stats.maxValues), "a long string max is left out");
          } else if (type === "timestamp") {
            const micros = values as number[];
            const lo = Math.min(...micros), hi = Math.max(...micros);
            assert.equal(min, new Date(Math.floor(lo / 1000)).toISOString(), "timestamp min");
            assert.equal(max, new Date(Math.ceil(hi / 1000)).toISOString(), "timestamp max");
          } else {
            const numbers = values as number[];
            // == on purpose: -0 and 0 are the same bound.
            assert.ok(min == Math.min(...numbers), `${name} min ${min}`);
            assert.ok(max == Math.max(...numbers), `${name} max ${max}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  } finally {
    connection.closeSync();
    duck.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
});
