/**
 * A cheaper way to the same verdict for the event's timestamp rules. protovalidate evaluates
 * `timestamp.not_future` (`this <= now + duration('86400s')`) in its CEL interpreter for every
 * event, about a third of all validation time. Here protovalidate checks every other rule on a
 * copy without the timestamp, and the timestamp's own three rules (required, after 2000-01-01,
 * at most 24 h ahead) are checked natively. Only a clean "valid" is taken from this path; any
 * doubt (a violation elsewhere, a timestamp failing or outside the ordinary range) returns
 * `undefined`, and the caller asks protovalidate about the whole event, which stays the authority
 * for every message. proto/analytics/v1/event.proto defines the rules mirrored here.
 *
 * @module
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Validator } from "@bufbuild/protovalidate";
import { type Event, EventSchema } from "@analytics/schema";

/** `timestamp.gt` of the schema: 2000-01-01T00:00:00Z, exclusive. */
const AFTER_SECONDS = 946_684_800n;
/** `timestamp.not_future`: at most this far ahead of now. */
const AHEAD_NANOS = 86_400n * 1_000_000_000n;
/** CEL's timestamp range (0001-01-01 .. 9999-12-31T23:59:59Z); outside it, ask protovalidate. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/**
 * True when `event` is certainly valid under the schema's rules (and protovalidate would say so),
 * `undefined` when unsure: then only protovalidate on the whole event decides.
 */
export function validByTimestampFastPath(
  validator: Validator,
  event: Event,
  nowMs: number = Date.now(),
): true | undefined {
  const timestamp = event.timestamp;
  if (!timestamp || !timestampHolds(timestamp, nowMs)) return undefined;
  const result = validator.validate(EventSchema, { ...event, timestamp: undefined });
  if (result.kind !== "invalid" || result.violations.length !== 1) return undefined;
  const [only] = result.violations;
  const onTimestamp = only.field.length === 1 && only.field[0].kind === "field" &&
    only.field[0].name === "timestamp";
  return onTimestamp && only.ruleId === "required" ? true : undefined;
}

/** The timestamp's rules, natively: after 2000-01-01 and at most 24 hours after `nowMs`. */
export function timestampHolds(timestamp: Timestamp, nowMs: number): boolean {
  const { seconds, nanos } = timestamp;
  if (!(Number.isInteger(nanos) && nanos >= 0 && nanos <= 999_999_999)) return false;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return false;
  if (seconds < AFTER_SECONDS || (seconds === AFTER_SECONDS && nanos === 0)) return false;
  const at = seconds * 1_000_000_000n + BigInt(nanos);
  return at <= BigInt(Math.floor(nowMs)) * 1_000_000n + AHEAD_NANOS;
}
