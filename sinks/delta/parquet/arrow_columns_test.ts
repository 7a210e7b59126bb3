import assert from "node:assert/strict";
import { makeVector } from "apache-arrow";
import type { Event } from "@analytics/schema";
import type { CellValue, Column } from "../columns.ts";
import { arrowColumns, utf8Length } from "./arrow_columns.ts";

/** The Arrow column of `cells` (one per row) of a column of `type`. */
function arrowColumn(type: Column["type"], cells: CellValue[]) {
  const column: Column = {
    name: "c",
    type,
    value: (row) => (row as unknown as { v: CellValue }).v,
  };
  return arrowColumns([column], cells.map((v) => ({ v })) as unknown as Event[])[0];
}
const back = (cells: CellValue[], type: Column["type"]) =>
  [...makeVector(arrowColumn(type, cells).data)].map((v) => typeof v === "bigint" ? Number(v) : v);

Deno.test("arrowColumns: strings, ASCII or not, read back as written with UTF-8 bounds", () => {
  const ascii = ["b", null, "a", "c"];
  assert.deepEqual(back(ascii, "string"), ascii);
  // U+FF5E sorts before U+1F600 by UTF-8 bytes, though JavaScript's `<` says otherwise.
  const wide = ["\u{1F600}", "é", null, "\uFF5E", "z"];
  assert.deepEqual(back(wide, "string"), wide);
  const { stats } = arrowColumn("string", wide);
  assert.deepEqual(stats, { nullCount: 1, min: "z", max: "\u{1F600}" });
});

Deno.test("arrowColumns: lone surrogates that would pair up when joined stay apart", () => {
  const cells = ["a\uD83D", "\uDE00b"];
  const data = arrowColumn("string", cells).data;
  assert.equal(data.valueOffsets[2], utf8Length(cells[0]) + utf8Length(cells[1]));
  assert.deepEqual(back(cells, "string"), ["a\uFFFD", "\uFFFDb"]);
});

Deno.test("utf8Length counts bytes as TextEncoder writes them", () => {
  for (const text of ["", "abc", "é", "€", "\u{1F600}", "\uD83D", "x\uDE00y", "\uFF5E\u{10FFFF}"]) {
    assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text));
  }
});

Deno.test("arrowColumns: longs and timestamps keep every safe integer, negative ones too", () => {
  const cells = [
    0,
    -1,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    null,
    1_700_000_000_123_456,
  ];
  assert.deepEqual(back(cells, "long"), cells);
  assert.deepEqual(arrowColumn("timestamp", cells).stats, {
    nullCount: 1,
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  assert.throws(() => arrowColumn("long", [2 ** 60]), RangeError);
  assert.throws(() => arrowColumn("integer", [2 ** 31]), RangeError);
});

Deno.test("arrowColumns: a double column holding NaN has no bounds; -0 is bound 0", () => {
  assert.deepEqual(arrowColumn("double", [1, NaN, null]).stats, {
    nullCount: 1,
    min: null,
    max: null,
  });
  assert.ok(Object.is(arrowColumn("double", [-0, 2]).stats.min, 0));
  assert.deepEqual(back([true, null, false], "boolean"), [true, null, false]);
});

Deno.test("arrowColumns: a dictionary for repeating strings only", () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
  assert.equal(arrowColumn("string", ids).dictionary, false);
  const plans = ids.map((_, i) => (i % 3 === 0 ? "pro" : "free"));
  assert.equal(arrowColumn("string", plans).dictionary, true);
});
