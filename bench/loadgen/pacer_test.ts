import assert from "node:assert/strict";
import { createPacer } from "./pacer.ts";

Deno.test("createPacer: rate 0 never waits", () => {
  const pacer = createPacer(0, () => 0);
  for (let i = 0; i < 10; i++) assert.equal(pacer.reserve(500), 0);
});

Deno.test("createPacer: slots are spaced by batch size / rate", () => {
  const pacer = createPacer(1_000, () => 0);
  assert.deepEqual([100, 100, 50, 200, 10].map((n) => pacer.reserve(n)), [0, 100, 200, 250, 450]);
});

Deno.test("createPacer: slots already due on a clock that moved on are not waited for", () => {
  let now = 0;
  const pacer = createPacer(1_000, () => now);
  pacer.reserve(100);
  now = 150;
  assert.equal(pacer.reserve(100), 0); // due at 100
  assert.equal(pacer.reserve(100), 50); // due at 200
});

Deno.test("createPacer: rejects a negative rate", () => {
  assert.throws(() => createPacer(-1), RangeError);
});
