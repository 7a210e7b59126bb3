import assert from "node:assert/strict";
import type { CellValue, Column } from "./columns.ts";
import { compareCodePoints, computeStats, STRING_STATS_LIMIT } from "./stats.ts";

const column = (name: string, type: Column["type"]): Column => ({ name, type, value: () => null });

Deno.test("stats: numRecords, min, max and nullCount per column", () => {
  const columns = [column("s", "string"), column("d", "double"), column("t", "timestamp")];
  const rows: CellValue[][] = [
    ["b", 2.5, 1_700_000_000_123_456],
    [null, -1, 1_700_000_000_000_000],
    ["a", null, null],
  ];
  const stats = computeStats(columns, rows, new Set());
  assert.equal(stats.numRecords, 3);
  assert.deepEqual(stats.minValues, { s: "a", d: -1, t: "2023-11-14T22:13:20.000Z" });
  // The timestamp max is rounded up to whole milliseconds, so it stays an upper bound.
  assert.deepEqual(stats.maxValues, { s: "b", d: 2.5, t: "2023-11-14T22:13:20.124Z" });
  assert.deepEqual(stats.nullCount, { s: 1, d: 1, t: 1 });
});

Deno.test("stats: a long string max is omitted, never truncated; a long min is a prefix", () => {
  const long = "z".repeat(STRING_STATS_LIMIT + 1);
  const stats = computeStats([column("s", "string")], [["y".repeat(100)], [long]], new Set());
  assert.equal(stats.minValues.s, "y".repeat(STRING_STATS_LIMIT));
  assert.ok(!("s" in stats.maxValues));
});

Deno.test("stats: all-null and boolean columns have only a null count; skipped columns none", () => {
  const stats = computeStats(
    [column("n", "string"), column("b", "boolean"), column("p", "date")],
    [[null, true, "2026-01-01"]],
    new Set(["p"]),
  );
  assert.deepEqual(stats.minValues, {});
  assert.deepEqual(stats.nullCount, { n: 1, b: 0 });
});

Deno.test("strings compare by code point (UTF-8 order), not UTF-16 unit", () => {
  // U+FF5E (one unit, 0xFF5E) sorts before U+1F600 (surrogates 0xD83D…) by code point.
  assert.ok(compareCodePoints("\uFF5E", "\u{1F600}") < 0);
  assert.ok("\uFF5E" > "\u{1F600}", "JavaScript's < disagrees");
  assert.ok(compareCodePoints("ab", "abc") < 0);
  assert.equal(compareCodePoints("x", "x"), 0);
});
