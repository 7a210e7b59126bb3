import assert from "node:assert/strict";
import fc from "fast-check";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  AgentContextSchema,
  EnrichmentSchema,
  type Event,
  EventSchema,
  SpeechContextSchema,
} from "@analytics/schema";
import { sampleEvents } from "../testing/sample_events.ts";
import { eventDecoder } from "./event_decoder.ts";

const decode = eventDecoder(EventSchema);

/** The decoder's outcome is the library's: the same message, or the same error. */
function assertSameOutcome(bytes: Uint8Array): void {
  let expected: Event | Error;
  try {
    expected = fromBinary(EventSchema, bytes);
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) {
    assert.throws(() => decode(bytes), { message: expected.message });
  } else {
    assert.deepEqual(decode(bytes), expected);
  }
}

function withSuffix(bytes: Uint8Array, write: (w: BinaryWriter) => void): Uint8Array {
  const writer = new BinaryWriter();
  write(writer);
  const suffix = writer.finish();
  const joined = new Uint8Array(bytes.length + suffix.length);
  joined.set(bytes);
  joined.set(suffix, bytes.length);
  return joined;
}

/** Sample events with every channel, properties and the rarer fields set. */
function variedEvents(): Event[] {
  const events = sampleEvents(1_500, { seed: 19 });
  events[0].context = {
    case: "speech",
    value: create(SpeechContextSchema, {
      intent: "order",
      confidence: 0.75,
      slots: { size: "large", "": "empty key", "ünï": "😀" },
    }),
  };
  events[1].context = {
    case: "agent",
    value: create(AgentContextSchema, { inputTokens: 2n ** 60n, outputTokens: 7n, costUsd: 1e-9 }),
  };
  events[2].properties = { a: 1, b: [true, null, "x", { c: -2.5 }], d: { e: "ünïcode" } };
  events[3].interactionValue = 0;
  events[4].interactionText = "a".repeat(200) + "é" + "b".repeat(64);
  events[5].eventType = "x".repeat(64);
  events[6].eventType = "y".repeat(65);
  return events;
}

Deno.test("eventDecoder gives fromBinary's message for every kind of event", () => {
  const events = variedEvents();
  assert.ok(new Set(events.map((e) => e.context.case)).size >= 5);
  assert.ok(events.filter((e) => e.properties).length > 10);
  for (const event of events) assertSameOutcome(toBinary(EventSchema, event));
  // And the message round-trips: what was encoded comes back.
  assert.deepEqual(decode(toBinary(EventSchema, events[0])), events[0]);
});

Deno.test("eventDecoder gives the library's result where the fast path stops", () => {
  const bytes = toBinary(EventSchema, variedEvents()[7]);
  const enrichment = toBinary(EnrichmentSchema, create(EnrichmentSchema, { source: "again" }));
  const cases = [
    // An unknown field (kept in $unknown).
    withSuffix(bytes, (w) => w.tag(999, WireType.Varint).uint32(5)),
    // A message field given twice: the two merge.
    withSuffix(bytes, (w) => w.tag(21, WireType.LengthDelimited).bytes(enrichment)),
    // A scalar with the wrong wire type.
    withSuffix(bytes, (w) => w.tag(5, WireType.Varint).uint32(1)),
    // Truncated, and a string that is not UTF-8.
    bytes.subarray(0, bytes.length - 3),
    withSuffix(bytes, (w) => w.tag(5, WireType.LengthDelimited).bytes(new Uint8Array([0xc3]))),
    new Uint8Array(),
  ];
  for (const c of cases) assertSameOutcome(c);
});

Deno.test("property: eventDecoder's outcome is fromBinary's for damaged records", () => {
  const encoded = variedEvents().slice(0, 200).map((e) => toBinary(EventSchema, e));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: encoded.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      fc.nat(),
      (index, changes, cut) => {
        const bytes = encoded[index].slice(0, encoded[index].length - (cut % 4));
        for (const [at, value] of changes) bytes[at % bytes.length] = value;
        assertSameOutcome(bytes);
      },
    ),
    { numRuns: 3_000 },
  );
});
