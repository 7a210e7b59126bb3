import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Column } from "./columns.ts";
import { computeStats, STRING_STATS_LIMIT } from "./stats.ts";

const column = (name: string, type: Column["type"]): Column => ({ name, type, value: () => null });

async function statsOf(columns: Column[], valuesSql: string) {
  const duck = await DuckDBInstance.create(":memory:");
  const connection = await duck.connect();
  try {
    const names = columns.map((c) => c.name).join(", ");
    return await computeStats(connection, columns, `(SELECT * FROM (${valuesSql}) v(${names}))`);
  } finally {
    connection.closeSync();
    duck.closeSync();
  }
}

Deno.test("stats: numRecords, min, max and nullCount per column", async () => {
  const stats = await statsOf(
    [column("s", "string"), column("d", "double"), column("t", "timestamp")],
    "VALUES ('b', 2.5::DOUBLE, 1700000000123456::BIGINT), (NULL, -1, 1700000000000000), " +
      "('a', NULL, NULL)",
  );
  assert.equal(stats.numRecords, 3);
  assert.deepEqual(stats.minValues, { s: "a", d: -1, t: "2023-11-14T22:13:20.000Z" });
  // The timestamp max is rounded up to whole milliseconds, so it stays an upper bound.
  assert.deepEqual(stats.maxValues, { s: "b", d: 2.5, t: "2023-11-14T22:13:20.124Z" });
  assert.deepEqual(stats.nullCount, { s: 1, d: 1, t: 1 });
});

Deno.test("stats: a long string max is omitted, never truncated; a long min is a prefix", async () => {
  const stats = await statsOf(
    [column("s", "string")],
    `VALUES ('${"y".repeat(100)}'), ('${"z".repeat(STRING_STATS_LIMIT + 1)}')`,
  );
  assert.equal(stats.minValues.s, "y".repeat(STRING_STATS_LIMIT));
  assert.ok(!("s" in stats.maxValues));
});

Deno.test("stats: all-null and boolean columns have only a null count", async () => {
  const stats = await statsOf(
    [column("n", "string"), column("b", "boolean")],
    "VALUES (NULL::VARCHAR, true)",
  );
  assert.deepEqual(stats.minValues, {});
  assert.deepEqual(stats.maxValues, {});
  assert.deepEqual(stats.nullCount, { n: 1, b: 0 });
});

Deno.test("stats: strings order by UTF-8 bytes (code points), as Delta readers compare", async () => {
  // U+FF5E sorts before U+1F600 by code point, though JavaScript's UTF-16 `<` says otherwise.
  const stats = await statsOf([column("s", "string")], "VALUES ('\uFF5E'), ('\u{1F600}')");
  assert.equal(stats.minValues.s, "\uFF5E");
  assert.equal(stats.maxValues.s, "\u{1F600}");
});
