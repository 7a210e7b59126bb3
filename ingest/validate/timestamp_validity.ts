import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Event } from "@analytics/schema";

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range google.protobuf.Timestamp allows. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/** Whether a Timestamp is one the protobuf spec allows: nanos 0-999 999 999, years 1-9999. */
export function isValidTimestamp(t: Timestamp): boolean {
  return Number.isInteger(t.nanos) && t.nanos >= 0 && t.nanos <= 999_999_999 &&
    t.seconds >= MIN_SECONDS && t.seconds <= MAX_SECONDS;
}

/**
 * The event's first malformed Timestamp field (`timestamp`, `sent_at`), or undefined. The schema's
 * rules compare times but do not refuse nanos out of range, and `sent_at` has no rule at all: a
 * `sent_at` of 2^63 s with nanos -1 was stored and would break every sink (found by fuzzing).
 */
export function malformedTimestampField(event: Event): string | undefined {
  if (event.timestamp && !isValidTimestamp(event.timestamp)) return "timestamp";
  if (event.sentAt && !isValidTimestamp(event.sentAt)) return "sent_at";
  return undefined;
}
