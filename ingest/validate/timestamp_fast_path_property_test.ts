import { deepStrictEqual as assertEquals, equal } from "node:assert/strict";
import fc from "fast-check";
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { createValidator } from "@bufbuild/protovalidate";
import type { Channel, Event } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { timestampHolds, validByTimestampFastPath } from "./timestamp_fast_path.ts";
import { createEventValidator } from "./validate_event.ts";

const validator = createValidator();
const withFastPath = createEventValidator(validator);
const protovalidateOnly = createEventValidator(validator, { timestampFastPath: false });
const pool = createEventSource({ seed: 21 }).batch(300);
const DAY_MS = 86_400_000;

/** Timestamps around every edge of the rules, never within 5 s of the moving "now + 24 h" edge. */
const timestamps = fc.oneof(
  fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS })
    .filter((offset) => Math.abs(offset - DAY_MS) > 5_000)
    .map((offset) => ({ ms: Date.now() + offset, nanos: undefined })),
  fc.record({
    seconds: fc.constantFrom(
      946_684_799n,
      946_684_800n,
      946_684_801n,
      0n,
      -62_135_596_801n,
      253_402_300_800n,
      4_102_444_800n,
    ),
    nanos: fc.constantFrom(0, 1, 999_999_999, 1_000_000_000, -1),
  }),
);

/** Other faults, so the fast path also meets events protovalidate rejects elsewhere. */
const faults = fc.constantFrom<(e: Event) => void>(
  () => {},
  () => {},
  (e) => e.sessionId = "",
  (e) => e.eventId = "not-a-uuid",
  (e) => e.channel = 77 as Channel,
  (e) => e.interactionValue = Number.NaN,
  (e) => e.timestamp = undefined,
);

Deno.test("the timestamp fast path gives protovalidate's verdict, message and field on every event", () => {
  fc.assert(
    fc.property(fc.nat(pool.length - 1), timestamps, faults, (i, ts, fault) => {
      const event: Event = { ...pool[i] };
      event.timestamp = "ms" in ts
        ? create(TimestampSchema, {
          seconds: BigInt(Math.floor(ts.ms! / 1000)),
          nanos: (ts.ms! % 1000) * 1_000_000,
        })
        : create(TimestampSchema, { seconds: ts.seconds, nanos: ts.nanos });
      fault(event);
      let expected: unknown, actual: unknown;
      try {
        expected = protovalidateOnly(event, 4);
      } catch (error) {
        expected = `threw ${error}`;
      }
      try {
        actual = withFastPath(event, 4);
      } catch (error) {
        actual = `threw ${error}`;
      }
      assertEquals(actual, expected);
    }),
    { numRuns: 1_500 },
  );
});

Deno.test("the fast path answers only 'valid', and only for valid events", () => {
  let valid = 0;
  for (const event of pool) {
    if (validByTimestampFastPath(validator, event)) valid++;
    equal(protovalidateOnly(event, 0), null);
  }
  equal(valid, pool.length, "every load-generator event takes the fast path");
  const broken: Event = { ...pool[0], sessionId: "" };
  equal(validByTimestampFastPath(validator, broken), undefined);
  equal(validByTimestampFastPath(validator, { ...pool[0], timestamp: undefined }), undefined);
});

Deno.test("timestampHolds: after 2000-01-01 (exclusive), at most 24 h ahead, sane nanos", () => {
  const ts = (seconds: bigint, nanos = 0) => create(TimestampSchema, { seconds, nanos });
  const now = 1_800_000_000_000;
  equal(timestampHolds(ts(946_684_800n), now), false);
  equal(timestampHolds(ts(946_684_800n, 1), now), true);
  equal(timestampHolds(ts(1_800_086_400n), now), true);
  equal(timestampHolds(ts(1_800_086_400n, 1), now), false);
  equal(timestampHolds(ts(1_700_000_000n, 1_000_000_000), now), false);
  equal(timestampHolds(ts(1_700_000_000n, -1), now), false);
});
