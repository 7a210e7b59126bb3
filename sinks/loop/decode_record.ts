/** Turns a log record into an `Event`, or says why it can never be stored. */
import type { Validator } from "@bufbuild/protovalidate";
import { type Event, EventSchema } from "@analytics/schema";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "../../ingest/stream/topics.ts";
import { eventDecoder } from "./event_decoder.ts";
import { unstorableReason } from "./storable_event.ts";

const decodeEvent = eventDecoder(EventSchema);

/** The outcome of decoding one record. */
export type DecodeOutcome =
  | { ok: true; event: Event }
  | { ok: false; reason: string };

/**
 * Decodes `record.value` as an `analytics.v1.Event`. A record whose `schema` header names another
 * message, whose bytes do not decode, or whose event cannot be stored carries the reason.
 *
 * Trust boundary: the ingest sets the `schema` header only on events that passed the schema's
 * protovalidate rules, and only the ingest may write the event topic (docs/sinks-design.md). So
 * a record with the header gets the cheap check of what the stores need (`unstorableReason`);
 * a record without it (another producer) is validated in full with `validator`.
 */
export function decodeRecord(record: ConsumedRecord, validator: Validator): DecodeOutcome {
  const schema = record.headers[SCHEMA_HEADER];
  if (schema !== undefined && schema !== EVENT_SCHEMA) {
    return { ok: false, reason: `unexpected schema header "${schema}"` };
  }
  let event: Event;
  try {
    event = decodeEvent(record.value);
  } catch (error) {
    return { ok: false, reason: `undecodable: ${messageOf(error)}` };
  }
  const unstorable = unstorableReason(event);
  if (unstorable !== undefined) return { ok: false, reason: `schema violation: ${unstorable}` };
  if (schema === EVENT_SCHEMA) return { ok: true, event };
  const result = validator.validate(EventSchema, event);
  if (result.kind === "invalid") {
    const violations = result.violations
      .map((v) => v.toString())
      .join("; ");
    return { ok: false, reason: `schema violation: ${violations}` };
  }
  if (result.kind === "error") {
    return { ok: false, reason: `schema violation: ${result.error.message}` };
  }
  return { ok: true, event };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
