import assert from "node:assert/strict";
import { DEFAULT_BATCH_LIMITS, resolveBatchLimits } from "./batch_limits.ts";

Deno.test("resolveBatchLimits fills defaults and keeps given limits", () => {
  assert.deepEqual(resolveBatchLimits(), DEFAULT_BATCH_LIMITS);
  assert.deepEqual(resolveBatchLimits({ maxRecords: 10, maxWaitMs: undefined }), {
    ...DEFAULT_BATCH_LIMITS,
    maxRecords: 10,
  });
});

Deno.test("resolveBatchLimits names a limit that is not a positive integer", () => {
  assert.throws(() => resolveBatchLimits({ maxBytes: 0 }), /maxBytes must be a positive integer/);
  assert.throws(() => resolveBatchLimits({ maxWaitMs: 1.5 }), /maxWaitMs/);
  assert.throws(() => resolveBatchLimits({ idleMs: 0 }), /idleMs must be a positive integer/);
  assert.equal(resolveBatchLimits({ idleMs: 10 }).idleMs, 10);
});
