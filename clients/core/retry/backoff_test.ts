import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.ts";

Deno.test("backoff: the ceiling doubles per attempt up to the cap, jitter spans all of it", () => {
  const top = () => 0.999999;
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((n) => backoffDelay(n, top, { baseMs: 100, maxMs: 1000 })),
    [99, 199, 399, 799, 999],
  );
  assert.equal(backoffDelay(3, () => 0, { baseMs: 100 }), 0);
  assert.equal(backoffDelay(1, () => 0.5, { baseMs: 100 }), 100);
  assert.equal(backoffDelay(5000, top, { baseMs: 100, maxMs: 30_000 }), 29_999);
});
