import assert from "node:assert/strict";
import { assertExactlyOnce, checkAgainstLedger, countIds, formatCheck } from "./ledger_check.ts";

Deno.test("a store holding every ledger id once passes", () => {
  const check = checkAgainstLedger("pg", ["a", "b", "c"], countIds(["c", "a", "b"]));
  assert.deepEqual(
    { missing: check.missing, duplicated: check.duplicated, present: check.present },
    { missing: 0, duplicated: 0, present: 3 },
  );
  assert.equal(check.rows, 3);
});

Deno.test("lost, doubled and unacknowledged ids are each counted", () => {
  const check = checkAgainstLedger("lake", ["a", "b", "c", "a"], countIds(["a", "a", "c", "x"]));
  assert.equal(check.expected, 3);
  assert.equal(check.missing, 1);
  assert.deepEqual(check.missingSample, ["b"]);
  assert.equal(check.duplicated, 1);
  assert.deepEqual(check.duplicatedSample, ["a"]);
  assert.equal(check.unacknowledged, 1);
  assert.equal(check.rows, 4);
  assert.match(formatCheck(check), /lake: 3 acknowledged ids, 2 present, lost 1, duplicated 1/);
});

Deno.test("assertExactlyOnce passes exact stores and names the store that lost or doubled", () => {
  const exact = checkAgainstLedger("pg", ["a", "b"], countIds(["a", "b"]));
  assertExactlyOnce([exact], 2);
  const lost = checkAgainstLedger("lake", ["a", "b"], countIds(["a"]));
  assert.throws(() => assertExactlyOnce([exact, lost], 2), /lake: lost b/);
  const doubled = checkAgainstLedger("pg", ["a", "b"], countIds(["a", "a", "b"]));
  assert.throws(() => assertExactlyOnce([doubled], 2), /pg: doubled a/);
  assert.throws(() => assertExactlyOnce([exact], 3), /pg: ids checked/);
});
