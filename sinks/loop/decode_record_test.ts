import assert from "node:assert/strict";
import { createValidator } from "@bufbuild/protovalidate";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { EVENTS_TOPIC, SCHEMA_HEADER } from "../../ingest/stream/topics.ts";
import { sampleEvents, toRecord } from "../testing/sample_events.ts";
import { decodeRecord } from "./decode_record.ts";

const validator = createValidator();

function consumed(event: ReturnType<typeof sampleEvents>[number]): ConsumedRecord {
  return { ...toRecord(event), topic: EVENTS_TOPIC, partition: 0, offset: 0n, timestamp: 0 };
}

Deno.test("decodeRecord decodes the ingest's records", () => {
  const [event] = sampleEvents(1);
  const outcome = decodeRecord(consumed(event), validator);
  assert.ok(outcome.ok);
  assert.equal(outcome.event.eventId, event.eventId);
});

Deno.test("decodeRecord trusts the ingest's schema rules but not a foreign producer's", () => {
  const [event] = sampleEvents(1);
  event.eventType = "x".repeat(200); // breaks max_len 128, which no store needs
  const fromIngest = consumed(event);
  assert.ok(decodeRecord(fromIngest, validator).ok);

  const foreign = { ...fromIngest, headers: {} };
  const outcome = decodeRecord(foreign, validator);
  assert.ok(!outcome.ok);
  assert.match(outcome.reason, /^schema violation: .*event_type/);
});

Deno.test("decodeRecord dead-letters what no store can take, whoever produced it", () => {
  const [event] = sampleEvents(1);
  event.timestamp = undefined;
  const outcome = decodeRecord(consumed(event), validator);
  assert.ok(!outcome.ok);
  assert.equal(outcome.reason, "schema violation: timestamp: value is required");
});

Deno.test("decodeRecord refuses another schema and undecodable bytes", () => {
  const [event] = sampleEvents(1);
  const other = { ...consumed(event), headers: { [SCHEMA_HEADER]: "analytics.v1.Other" } };
  const refused = decodeRecord(other, validator);
  assert.ok(!refused.ok);
  assert.match(refused.reason, /^unexpected schema header/);
  const garbage = { ...consumed(event), value: new Uint8Array([0xff, 0xff, 0xff]) };
  const undecodable = decodeRecord(garbage, validator);
  assert.ok(!undecodable.ok);
  assert.match(undecodable.reason, /^undecodable: /);
});
