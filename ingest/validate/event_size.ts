import type { EventViolation } from "./validate_event.ts";

/**
 * The violation of an event whose encoding (as the client sent it, without enrichment) is
 * `bytes` long, over `maxEventBytes` (INGEST_MAX_EVENT_BYTES); null when within it.
 */
export function eventSizeViolation(
  bytes: number,
  maxEventBytes: number,
  index: number,
): EventViolation | null {
  if (bytes <= maxEventBytes) return null;
  return {
    field: `events[${index}]`,
    reason: `encoded event is ${bytes} bytes, more than the limit of ${maxEventBytes} ` +
      "(INGEST_MAX_EVENT_BYTES)",
  };
}
