import assert from "node:assert/strict";
import type { AddAction } from "../log/actions.ts";
import { candidateFiles, compareUtf8, fileIdRange, idRangeOf } from "./candidate_files.ts";

function file(path: string, date: string, stats: unknown): AddAction {
  return {
    path,
    partitionValues: { event_date: date },
    size: 1,
    modificationTime: 0,
    dataChange: true,
    stats: typeof stats === "string"
      ? stats
      : stats === undefined
      ? undefined
      : JSON.stringify(stats),
  };
}

const ranged = (path: string, date: string, min: string, max: string) =>
  file(path, date, { numRecords: 1, minValues: { event_id: min }, maxValues: { event_id: max } });

Deno.test("candidateFiles: same date and an overlapping event_id range only", () => {
  const files = [
    ranged("old", "2026-01-10", "0190", "0195"), // entirely below the batch
    ranged("left", "2026-01-10", "0195", "0200"), // overlaps the batch's min
    ranged("inside", "2026-01-10", "0201", "0202"),
    ranged("around", "2026-01-10", "0100", "0900"),
    ranged("right", "2026-01-10", "0205", "0300"), // overlaps the batch's max
    ranged("new", "2026-01-10", "0206", "0300"), // entirely above
    ranged("other-date", "2026-01-11", "0100", "0900"),
  ];
  const batch = idRangeOf(["0203", "0200", "0205"])!;
  assert.deepEqual(batch, { min: "0200", max: "0205" });
  assert.deepEqual(candidateFiles(files, "2026-01-10", batch).map((f) => f.path), [
    "left",
    "inside",
    "around",
    "right",
  ]);
  assert.deepEqual(candidateFiles(files, "2026-01-12", batch), []);
});

Deno.test("candidateFiles: a file whose stats lack an event_id bound is always a candidate", () => {
  const files = [
    file("no-stats", "2026-01-10", undefined),
    file("bad-json", "2026-01-10", "{"),
    file("no-max", "2026-01-10", { minValues: { event_id: "zzzz" }, maxValues: {} }),
    ranged("pruned", "2026-01-10", "zzzz", "zzzz"),
  ];
  assert.deepEqual(
    candidateFiles(files, "2026-01-10", { min: "a", max: "b" }).map((f) => f.path),
    ["no-stats", "bad-json", "no-max"],
  );
  assert.equal(fileIdRange(files[2]), null);
  assert.deepEqual(fileIdRange(files[3]), { min: "zzzz", max: "zzzz" });
});

Deno.test("compareUtf8 orders by UTF-8 bytes, as the stats do, not by UTF-16 units", () => {
  // U+FF61 is one UTF-16 unit above the surrogates; U+1F600 is a surrogate pair, yet larger.
  assert.ok("\uFF61" > "\u{1F600}");
  assert.ok(compareUtf8("\uFF61", "\u{1F600}") < 0);
  assert.ok(compareUtf8("a", "b") < 0);
  assert.equal(compareUtf8("abc", "abc"), 0);
  assert.ok(compareUtf8("abcd", "abc") > 0);
  assert.deepEqual(idRangeOf(["\u{1F600}", "\uFF61", "a"]), { min: "a", max: "\u{1F600}" });
  assert.equal(idRangeOf([]), undefined);
});
