import assert from "node:assert/strict";
import { createHeapPressure } from "./heap_pressure.ts";

Deno.test("pressure above the fraction of the limit, none below it", () => {
  let used = 70;
  let clock = 0;
  const pressure = createHeapPressure({
    maxFraction: 0.8,
    readEveryMs: 0,
    read: () => ({ used: used * 1048576, limit: 100 * 1048576 }),
    now: () => clock++,
  });
  assert.equal(pressure.check(), undefined);
  used = 81;
  assert.match(pressure.check()!, /heap holds 81 MiB of its 100 MiB limit/);
  used = 80;
  assert.equal(pressure.check(), undefined);
});

Deno.test("a reading is reused within readEveryMs", () => {
  let reads = 0;
  let clock = 0;
  const pressure = createHeapPressure({
    readEveryMs: 50,
    read: () => ({ used: ++reads, limit: 1 }),
    now: () => clock,
  });
  pressure.check();
  clock = 49;
  pressure.check();
  assert.equal(reads, 1);
  clock = 50;
  pressure.check();
  assert.equal(reads, 2);
});

Deno.test("V8's own statistics are read by default", () => {
  assert.equal(createHeapPressure({ maxFraction: 1 }).check(), undefined);
  assert.match(createHeapPressure({ maxFraction: 0 }).check()!, /ingest overloaded: its heap/);
});
