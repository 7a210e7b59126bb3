import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { fromNanos, MAX_QUEUE_DELAY_MS, skewCorrectedTime, toNanos } from "./event_time.ts";

const ms = timestampFromMs;

Deno.test("corrected time is received_at minus the client's own measure of the wait", () => {
  // The client's clock is 1 h ahead; the event waited 5 s before it was sent.
  const timestamp = ms(1_700_000_000_000 + 3_600_000);
  const sentAt = ms(1_700_000_005_000 + 3_600_000);
  const receivedAt = ms(1_700_000_005_300);
  assertEquals(timestampMs(skewCorrectedTime(timestamp, sentAt, receivedAt)), 1_700_000_000_300);
});

Deno.test("without sent_at the timestamp is kept", () => {
  const timestamp = ms(1_700_000_000_123);
  assertEquals(skewCorrectedTime(timestamp, undefined, ms(1_800_000_000_000)), timestamp);
});

Deno.test("sent_at before the timestamp counts as no wait", () => {
  const received = ms(1_700_000_000_000);
  assertEquals(skewCorrectedTime(ms(1_600_000_000_000), ms(1_599_999_000_000), received), received);
});

Deno.test("a wait beyond the plausible maximum keeps the timestamp", () => {
  const timestamp = ms(1_000_000_000_000);
  const sentAt = ms(1_000_000_000_000 + MAX_QUEUE_DELAY_MS + 1);
  assertEquals(skewCorrectedTime(timestamp, sentAt, ms(1_700_000_000_000)), timestamp);
});

Deno.test("property: corrected time never after received_at, exact to the nanosecond", () => {
  for (let i = 0; i < 5000; i++) {
    const ns = () =>
      BigInt(Math.floor(Math.random() * 2e9)) * 1_000_000_000n +
      BigInt(Math.floor(Math.random() * 1e9));
    const timestamp = fromNanos(ns());
    const sentAt = Math.random() < 0.5
      ? fromNanos(toNanos(timestamp) + BigInt(Math.floor(Math.random() * 1e15)))
      : fromNanos(ns());
    const receivedAt = fromNanos(ns());
    const corrected = skewCorrectedTime(timestamp, sentAt, receivedAt);
    ok(corrected.nanos >= 0 && corrected.nanos < 1e9);
    const wait = toNanos(sentAt) - toNanos(timestamp);
    if (wait > BigInt(MAX_QUEUE_DELAY_MS) * 1_000_000n) {
      assertEquals(corrected, timestamp);
    } else {
      ok(toNanos(corrected) <= toNanos(receivedAt));
      assertEquals(toNanos(receivedAt) - toNanos(corrected), wait < 0n ? 0n : wait);
    }
  }
});

Deno.test("fromNanos normalises negative times", () => {
  const t = fromNanos(-1n);
  assertEquals([t.seconds, t.nanos], [-1n, 999_999_999]);
  assertEquals(toNanos(t), -1n);
});
