import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { RateLimiter } from "./rate_limiter.ts";

Deno.test("each key has its own bucket, with its own limit when it sets one", () => {
  let now = 0;
  const limiter = new RateLimiter({
    defaultLimit: { eventsPerSecond: 10, burst: 10 },
    now: () => now,
  });
  assertEquals(limiter.take("a", 15), 10);
  assertEquals(limiter.take("b", 15), 10);
  assertEquals(limiter.take("c", 15, { eventsPerSecond: 1, burst: 3 }), 3);
  assertEquals(limiter.take("a", 1), 0);
  now = 500;
  assertEquals(limiter.take("a", 100), 5);
  assertEquals(limiter.take("c", 100, { eventsPerSecond: 1, burst: 3 }), 0);
});
