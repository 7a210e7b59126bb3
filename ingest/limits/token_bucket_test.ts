import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { TokenBucket } from "./token_bucket.ts";

Deno.test("a bucket grants its burst at once, then its rate", () => {
  const bucket = new TokenBucket(10, 20, 0);
  assertEquals(bucket.take(25, 0), 20);
  assertEquals(bucket.take(5, 0), 0);
  assertEquals(bucket.take(5, 100), 1); // 0.1 s at 10/s
  assertEquals(bucket.take(100, 1100), 10);
  assertEquals(bucket.take(100, 1_000_000), 20, "never more than the burst");
});

Deno.test("a clock going back adds no tokens", () => {
  const bucket = new TokenBucket(1000, 5, 1000);
  assertEquals(bucket.take(5, 1000), 5);
  assertEquals(bucket.take(5, 0), 0);
  assertEquals(bucket.take(5, 1000), 0, "time before the last update does not count twice");
  assertEquals(bucket.take(5, 1002), 2);
});

Deno.test("over many random calls a bucket never grants more than burst + rate × time", () => {
  for (let run = 0; run < 200; run++) {
    const perSecond = 1 + Math.random() * 1000;
    const burst = 1 + Math.floor(Math.random() * 500);
    const bucket = new TokenBucket(perSecond, burst, 0);
    let now = 0;
    let granted = 0;
    for (let i = 0; i < 200; i++) {
      now += Math.random() * 50;
      const wanted = Math.floor(Math.random() * 100);
      const got = bucket.take(wanted, now);
      ok(got >= 0 && got <= wanted);
      granted += got;
    }
    ok(granted <= burst + (perSecond * now) / 1000 + 1e-9, `run ${run}`);
  }
});
