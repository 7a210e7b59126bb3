import assert from "node:assert/strict";
import { formatInterval, parseInterval } from "./interval.ts";

Deno.test("parseInterval: Go durations, days and weeks; months and years refused", () => {
  assert.equal(parseInterval("5m"), 300_000);
  assert.equal(parseInterval("20ms"), 20);
  assert.equal(parseInterval("1h30m"), 5_400_000);
  assert.equal(parseInterval("1.5h"), 5_400_000);
  assert.equal(parseInterval("12d"), 1_036_800_000);
  assert.equal(parseInterval("1w"), 604_800_000);
  for (const bad of ["", "5", "m", "5 minutes", "1M", "2y", "1d2h"]) {
    assert.throws(() => parseInterval(bad), RangeError, bad);
  }
});

Deno.test("formatInterval: the largest whole unit, as Grafana's $__interval", () => {
  assert.equal(formatInterval(86_400_000), "1d");
  assert.equal(formatInterval(90_000), "1m");
  assert.equal(formatInterval(30_000), "30s");
  assert.equal(formatInterval(500), "500ms");
  assert.equal(formatInterval(0.5), "1ms");
  assert.equal(formatInterval(2 * 365 * 86_400_000), "2y");
});
