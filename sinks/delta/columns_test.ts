import assert from "node:assert/strict";
import { utcDate } from "./columns.ts";

Deno.test("utcDate: the UTC day of a microsecond time, either side of midnight and of 1970", () => {
  const midnight = Date.UTC(2026, 0, 10) * 1000;
  for (let round = 0; round < 2; round++) { // the second round answers from remembered days
    assert.equal(utcDate(midnight), "2026-01-10");
    assert.equal(utcDate(midnight - 1), "2026-01-09");
    assert.equal(utcDate(midnight + 86_400_000_000 - 1), "2026-01-10");
    assert.equal(utcDate(0), "1970-01-01");
    assert.equal(utcDate(-1), "1969-12-31");
  }
});
