import assert from "node:assert/strict";
import { percentile, summarizeLatencies } from "./stats.ts";

Deno.test("percentile: nearest rank on 1..100", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile(values, 0.5), 1);
});

Deno.test("percentile: small samples round up to the next rank", () => {
  assert.equal(percentile([10, 20, 30], 50), 20);
  assert.equal(percentile([10, 20, 30], 99), 30);
  assert.equal(percentile([7], 50), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

Deno.test("percentile: rejects a percentile outside (0, 100]", () => {
  assert.throws(() => percentile([1], 0), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
});

Deno.test("summarizeLatencies: sorts its input and reports max and mean", () => {
  const summary = summarizeLatencies([5, 1, 4, 2, 3, 100, 6, 7, 8, 9]);
  assert.equal(summary.count, 10);
  assert.equal(summary.p50, 5);
  assert.equal(summary.p90, 9);
  assert.equal(summary.p99, 100);
  assert.equal(summary.max, 100);
  assert.equal(summary.mean, 14.5);
});
