/** Turns a log record into an `Event`, or says why it can never be stored. */
import { fromBinary } from "@bufbuild/protobuf";
import type { Validator } from "@bufbuild/protovalidate";
import { type Event, EventSchema } from "@analytics/schema";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "../../ingest/stream/topics.ts";

/** The outcome of decoding one record. */
export type DecodeOutcome =
  | { ok: true; event: Event }
  | { ok: false; reason: string };

/**
 * Decodes `record.value` as an `analytics.v1.Event` and checks it against the schema's rules.
 * A record whose `schema` header names another message, whose bytes do not decode, or whose
 * event breaks a rule can never be stored: the outcome carries the reason.
 */
export function decodeRecord(record: ConsumedRecord, validator: Validator): DecodeOutcome {
  const schema = record.headers[SCHEMA_HEADER];
  if (schema !== undefined && schema !== EVENT_SCHEMA) {
    return { ok: false, reason: `unexpected schema header "${schema}"` };
  }
  let event: Event;
  try {
    event = fromBinary(EventSchema, record.value);
  } catch (error) {
    return { ok: false, reason: `undecodable: ${messageOf(error)}` };
  }
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
