import { Code, ConnectError } from "@connectrpc/connect";
import type { RateLimit } from "../auth/write_key.ts";

/** Message for a request body above the size limit (shared by every protocol and /analytics). */
export function requestTooLargeMessage(bytes: number | undefined, maxBytes: number): string {
  const size = bytes === undefined ? "" : ` (got ${bytes} bytes)`;
  return `request too large: at most ${maxBytes} bytes (INGEST_MAX_REQUEST_BYTES)${size}`;
}

/** Throws `resource_exhausted` when a request body of `bytes` exceeds `maxBytes`. */
export function checkRequestSize(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new ConnectError(requestTooLargeMessage(bytes, maxBytes), Code.ResourceExhausted);
  }
}

/** Message for a batch above the event limit; names the field `events` and the limit. */
export function batchTooLargeMessage(count: number, maxEvents: number): string {
  return `events: at most ${maxEvents} events per request (INGEST_MAX_BATCH_EVENTS), got ${count}`;
}

/** Throws `invalid_argument` naming `events` when a batch is empty or above `maxEvents`. */
export function checkBatchSize(count: number, maxEvents: number): void {
  if (count === 0) {
    throw new ConnectError("events: a request needs at least 1 event", Code.InvalidArgument);
  }
  if (count > maxEvents) {
    throw new ConnectError(batchTooLargeMessage(count, maxEvents), Code.InvalidArgument);
  }
}

/** Reason given to events over a source's rate limit (outcome NOT_STORED, retry later). */
export function rateLimitedReason(source: string, limit: RateLimit): string {
  return `rate limit of ${limit.eventsPerSecond} events/s (burst ${limit.burst}) for source ` +
    `"${source}" exceeded; retry later`;
}
