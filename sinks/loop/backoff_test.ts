import assert from "node:assert/strict";
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep } from "./backoff.ts";

Deno.test("backoffDelay grows exponentially within [cap/2, cap] and stops at the cap", () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };
  assert.equal(backoffDelay(policy, 1, () => 0), 50);
  assert.equal(backoffDelay(policy, 1, () => 1), 100);
  assert.equal(backoffDelay(policy, 3, () => 1), 400);
  assert.equal(backoffDelay(policy, 10, () => 1), 1000);
  assert.equal(backoffDelay(policy, 10, () => 0), 500);
  assert.equal(backoffDelay(DEFAULT_RETRY_POLICY, 1000, () => 1), 10_000);
});

Deno.test("sleep resolves false at once when the signal aborts", async () => {
  const controller = new AbortController();
  const slept = sleep(60_000, controller.signal);
  controller.abort();
  assert.equal(await slept, false);
  assert.equal(await sleep(1), true);
});
