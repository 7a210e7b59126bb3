/**
 * The cheap check a sink runs on events the ingest already validated: only what a store needs
 * to take the row at all (the dedup key, the partition time, the NOT NULL columns), so one bad
 * record is dead-lettered instead of failing its whole batch on every retry.
 */
import type { Event } from "@analytics/schema";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 2000-01-01T00:00:00Z: the schema's lower bound of `timestamp` (exclusive). */
const MIN_SECONDS = 946_684_800n;
/** 9999-12-31T23:59:59Z: the last second both stores (and `Date`) represent. */
const MAX_SECONDS = 253_402_300_799n;
/** 0001-01-01T00:00:00Z: the first second of a valid protobuf `Timestamp`. */
const FIRST_SECONDS = -62_135_596_800n;

/**
 * Why `event` cannot be stored (naming the field), or undefined when it can. Checks the event
 * id is a UUID, `timestamp` is set and in range, and `event_type` and `session_id` are not
 * empty; the schema's other rules (lengths, formats) are the ingest's, not re-run here.
 */
export function unstorableReason(event: Event): string | undefined {
  if (!UUID.test(event.eventId)) return "event_id: value must be a valid UUID";
  const ts = event.timestamp;
  if (ts === undefined) return "timestamp: value is required";
  if (ts.seconds <= MIN_SECONDS || ts.seconds > MAX_SECONDS) {
    return "timestamp: value must be after 2000-01-01 and before year 10000";
  }
  if (ts.nanos < 0 || ts.nanos > 999_999_999) return "timestamp: nanos out of range";
  const sent = event.sentAt;
  if (sent !== undefined && (sent.seconds < FIRST_SECONDS || sent.seconds > MAX_SECONDS)) {
    return "sent_at: value must be between years 1 and 9999";
  }
  if (event.eventType === "") return "event_type: value is required";
  if (event.sessionId === "") return "session_id: value is required";
  const value = event.interactionValue;
  if (value !== undefined && !Number.isFinite(value)) {
    return "interaction_value: value must be finite";
  }
  return undefined;
}
