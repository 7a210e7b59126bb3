import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";

/** Longest plausible wait between an event and its sending (an app offline for a month). */
export const MAX_QUEUE_DELAY_MS = 30 * 24 * 3600 * 1000;

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** The server's receive time of a request, as a Timestamp with millisecond precision. */
export function receivedAtFrom(nowMs: number): Timestamp {
  return fromNanos(BigInt(Math.floor(nowMs)) * NS_PER_MS);
}

/**
 * The event time corrected for the client's clock skew, `received_at - (sent_at - timestamp)`
 * (Segment's rule): the time the event waited on the client, measured by the client's own clock,
 * subtracted from the server's receive time. A negative wait counts as none; without `sent_at`,
 * or with a wait beyond `MAX_QUEUE_DELAY_MS` (a sent_at from another clock), the client's
 * timestamp is kept as it is.
 */
export function skewCorrectedTime(
  timestamp: Timestamp,
  sentAt: Timestamp | undefined,
  receivedAt: Timestamp,
): Timestamp {
  if (sentAt === undefined) return fromNanos(toNanos(timestamp));
  let wait = toNanos(sentAt) - toNanos(timestamp);
  if (wait < 0n) wait = 0n;
  if (wait > BigInt(MAX_QUEUE_DELAY_MS) * NS_PER_MS) return fromNanos(toNanos(timestamp));
  return fromNanos(toNanos(receivedAt) - wait);
}

/** A Timestamp as nanoseconds since the epoch. */
export function toNanos(t: Timestamp): bigint {
  return t.seconds * NS_PER_S + BigInt(t.nanos);
}

/** Nanoseconds since the epoch as a normalised Timestamp (0 <= nanos < 1e9). */
export function fromNanos(ns: bigint): Timestamp {
  let seconds = ns / NS_PER_S;
  let nanos = ns % NS_PER_S;
  if (nanos < 0n) {
    nanos += NS_PER_S;
    seconds -= 1n;
  }
  return create(TimestampSchema, { seconds, nanos: Number(nanos) });
}
