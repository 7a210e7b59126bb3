import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampNow, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { validateEvent } from "./validate_event.ts";

const ts = (seconds: bigint, nanos: number) => create(TimestampSchema, { seconds, nanos });

Deno.test("timestamps with nanos out of range or beyond year 9999 are rejected, sent_at too", () => {
  const [event] = createEventSource({ seed: 3 }).batch(1);
  assert.equal(validateEvent(event, 0), null);
  const now = timestampNow().seconds;
  for (
    const [field, bad] of [
      ["timestamp", ts(now, -1)],
      ["timestamp", ts(now, 1_000_000_000)],
      ["sent_at", ts(now, 2_147_483_647)],
      ["sent_at", ts(9_223_372_036_854_775_807n, 0)],
      ["sent_at", ts(-62_135_596_801n, 0)],
    ] as const
  ) {
    const copy = structuredClone(event);
    if (field === "timestamp") copy.timestamp = bad;
    else copy.sentAt = bad;
    const violation = validateEvent(copy, 2);
    assert.equal(violation?.field, `events[2].${field}`, `${field} ${bad.seconds} ${bad.nanos}`);
    assert.match(violation!.reason, /not a valid timestamp/);
  }
  const fine = structuredClone(event);
  fine.sentAt = ts(now, 999_999_999);
  assert.equal(validateEvent(fine, 0), null);
});
