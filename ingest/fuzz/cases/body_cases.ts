/**
 * Request classes about what a body carries: valid batches, random or damaged bytes, JSON of the
 * wrong types, huge strings and properties, deep nesting, invalid UTF-8, absurd timestamps.
 *
 * @module
 */
import fc from "fast-check";
import { create, fromJson, type JsonObject, toBinary } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { TrackRequestSchema } from "@analytics/schema";
import { deepJson, deepStructBinary } from "../deep_values.ts";
import {
  badLength,
  damageNested,
  flipBytes,
  truncate,
  wrongWireType,
} from "../protobuf_mutation.ts";
import { frameMessages, isEnveloped } from "../protocols.ts";
import { concat, envelope, lenField } from "../wire.ts";
import {
  type CaseContext,
  choicesArb,
  DECODE,
  encode,
  encoder,
  jsonProtocolArb,
  protocolArb,
  protoProtocolArb,
  rpcCase,
  seedArb,
  trackJson,
  validEvents,
} from "../case_kit.ts";

/** Valid requests of every protocol: each event must be accepted. */
export function validCase(ctx: CaseContext) {
  return fc.tuple(protocolArb, seedArb, fc.integer({ min: 1, max: 8 })).map(
    ([protocol, seed, n]) => {
      const events = validEvents(seed, n);
      const messages = protocol.rpc === "TrackStream" && n > 1
        ? [encode(protocol, events.slice(0, 1)), encode(protocol, events.slice(1))]
        : [encode(protocol, events)];
      return {
        ...rpcCase(ctx, "valid", protocol, frameMessages(protocol, messages), ["ok"]),
        allValid: true,
      };
    },
  );
}

export function randomBytesCase(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ minLength: 64, maxLength: 4096 }),
    ),
    fc.boolean(),
  ).map(([protocol, bytes, framed]) => {
    const body = framed && isEnveloped(protocol) ? envelope(bytes) : bytes;
    return rpcCase(
      ctx,
      "random_bytes",
      protocol,
      body,
      ["invalid_argument", "resource_exhausted", "unimplemented", "ok"],
    );
  });
}

/** Valid binary requests with flipped bytes, a wrong wire type, a bad length, or truncated. */
export function damagedProtobufCase(ctx: CaseContext) {
  return fc.tuple(
    protoProtocolArb,
    seedArb,
    fc.integer({ min: 1, max: 4 }),
    choicesArb,
    fc.constantFrom("bit_flips", "wrong_wire_type", "bad_length", "truncated"),
    fc.integer({ min: 0, max: 4 }),
  ).map(([protocol, seed, n, choose, kind, depth]) => {
    const valid = encode(protocol, validEvents(seed, n));
    let damaged: Uint8Array;
    switch (kind) {
      case "bit_flips":
        damaged = damageNested(
          valid,
          depth,
          choose,
          (bytes) => flipBytes(bytes, 1 + choose.below(4), choose),
        );
        break;
      case "wrong_wire_type":
        damaged = damageNested(valid, depth, choose, wrongWireType(choose));
        break;
      case "bad_length":
        damaged = damageNested(valid, depth, choose, badLength(choose));
        break;
      default:
        damaged = truncate(valid, choose.below(valid.byteLength));
    }
    return rpcCase(ctx, kind, protocol, frameMessages(protocol, [damaged]), [...DECODE]);
  });
}

/** Valid JSON requests with one field replaced by a value of the wrong type. */
export function wrongJsonTypeCase(ctx: CaseContext) {
  const wrongValue = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 20 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    fc.constantFrom(
      "NaN",
      "Infinity",
      "-1",
      "1e999",
      "0x10",
      "CHANNEL_NOPE",
      "2026-02-30T00:00:00Z",
    ),
  );
  return fc.tuple(jsonProtocolArb, seedArb, choicesArb, wrongValue, fc.boolean()).map(
    ([protocol, seed, choose, value, topLevel]) => {
      const json = trackJson(validEvents(seed, 1));
      if (topLevel) {
        const keys = ["events", "sentAt", "sent_at"];
        json[keys[choose.below(keys.length)]] = value as never;
      } else {
        const event = (json.events as JsonObject[])[0];
        const keys = Object.keys(event);
        event[keys[choose.below(keys.length)]] = value as never;
      }
      const body = frameMessages(protocol, [encoder.encode(JSON.stringify(json))]);
      return rpcCase(ctx, "wrong_json_types", protocol, body, [...DECODE]);
    },
  );
}

/** One string field (or many) made huge. */
export function hugeStringCase(ctx: CaseContext) {
  const fields = [
    "eventType",
    "sessionId",
    "interactionText",
    "resourceId",
    "userId",
    "platform",
    "customChannel",
  ] as const;
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.constantFrom(...fields),
    fc.constantFrom(129, 2_049, 16_385, 70_000, 300_000, ctx.maxRequestBytes + 1),
    fc.constantFrom("x", "é", "🙂", "\u0000"),
  ).map(([protocol, seed, field, length, unit]) => {
    const [event] = validEvents(seed, 1);
    (event as unknown as Record<string, string>)[field] = unit.repeat(
      Math.ceil(length / unit.length),
    );
    const body = frameMessages(protocol, [encode(protocol, [event])]);
    return rpcCase(ctx, "huge_strings", protocol, body, ["ok", "resource_exhausted"]);
  });
}

/** `properties` nested deep, in JSON text or protobuf bytes. */
export function deepPropertiesCase(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.constantFrom(10, 100, 1_000, 5_000, 20_000, 100_000),
    fc.boolean(),
  ).map(([protocol, seed, depth, lists]) => {
    const events = validEvents(seed, 1);
    let message: Uint8Array;
    if (protocol.codec === "json") {
      const text = JSON.stringify(trackJson(events));
      const value = lists ? `{"deep":${deepJson(depth, true)}}` : deepJson(depth, false);
      message = encoder.encode(text.replace(/}]}$/, `,"properties":${value}}]}`));
    } else {
      const eventBytes = toBinary(TrackRequestSchema, create(TrackRequestSchema, { events }));
      // The event is field 1 of TrackRequest; append `properties` (field 24) inside it.
      const inner = eventBytes.subarray(eventBytes[1] & 0x80 ? 3 : 2);
      message = lenField(1, concat([inner, lenField(24, deepStructBinary(depth))]));
    }
    const body = frameMessages(protocol, [message]);
    return rpcCase(
      ctx,
      "deep_properties",
      protocol,
      body,
      ["ok", "invalid_argument", "resource_exhausted"],
    );
  });
}

/** `properties` with many keys or long lists. */
export function hugePropertiesCase(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.constantFrom(257, 2_000, 20_000),
    fc.boolean(),
  ).map(([protocol, seed, count, asList]) => {
    const [event] = validEvents(seed, 1);
    const properties: Record<string, unknown> = {};
    if (asList) properties.list = Array.from({ length: count }, (_, i) => i);
    else for (let i = 0; i < count; i++) properties[`k${i}`] = i;
    const json = trackJson([event]);
    (json.events as JsonObject[])[0].properties = properties as JsonObject;
    const message = protocol.codec === "json"
      ? encoder.encode(JSON.stringify(json))
      : toBinary(TrackRequestSchema, fromJsonRequest(json));
    return rpcCase(
      ctx,
      "huge_properties",
      protocol,
      frameMessages(protocol, [message]),
      ["ok", "resource_exhausted"],
    );
  });
}

function fromJsonRequest(json: JsonObject) {
  return fromJson(TrackRequestSchema, json);
}

const MARKER = "MARKMARKMARK";
/** Byte sequences that are not valid UTF-8. */
export const INVALID_UTF8 = [
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0x28],
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded in UTF-8
  [0xc0, 0xaf], // overlong "/"
  [0xff],
];

/** A string field whose bytes are not UTF-8, in binary or in JSON text. */
export function invalidUtf8Case(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.constantFrom("eventType", "sessionId", "interactionText", "eventCategory"),
    fc.constantFrom(...INVALID_UTF8),
  ).map(([protocol, seed, field, bad]) => {
    const [event] = validEvents(seed, 1);
    (event as unknown as Record<string, string>)[field] = `ok${MARKER}`;
    const message = encode(protocol, [event]);
    const at = indexOf(message, encoder.encode(MARKER));
    const replacement = new Uint8Array(MARKER.length).fill(0x61);
    replacement.set(bad);
    message.set(replacement, at);
    // Binary strings and JSON text alike must be UTF-8: never stored with U+FFFD instead.
    return rpcCase(ctx, "invalid_utf8", protocol, frameMessages(protocol, [message]), [
      "invalid_argument",
    ]);
  });
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("marker not found");
}

/** Timestamps far outside any plausible range, as numbers or as text. */
export function absurdTimestampCase(ctx: CaseContext) {
  const seconds = fc.constantFrom(
    -62135596801n,
    -1n,
    0n,
    253402300800n,
    9223372036854775807n,
    -9223372036854775808n,
    4102444800n, // 2100
  );
  const nanos = fc.constantFrom(0, -1, 999_999_999, 1_000_000_000, 2147483647, -2147483648);
  const text = fc.constantFrom(
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z",
    "10000-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "2026-13-45T25:61:61Z",
    "1970-01-01T00:00:00+25:00",
    "yesterday",
    "",
  );
  return fc.tuple(
    protocolArb,
    seedArb,
    seconds,
    nanos,
    text,
    fc.constantFrom("timestamp", "sentAt", "request.sentAt"),
  ).map(([protocol, seed, s, ns, t, where]) => {
    const [event] = validEvents(seed, 1);
    let message: Uint8Array;
    if (protocol.codec === "json") {
      const json = trackJson([event]);
      if (where === "request.sentAt") json.sentAt = t;
      else (json.events as JsonObject[])[0][where] = t;
      message = encoder.encode(JSON.stringify(json));
    } else {
      const absurd = create(TimestampSchema, { seconds: s, nanos: ns });
      if (where === "timestamp") event.timestamp = absurd as never;
      if (where === "sentAt") event.sentAt = absurd as never;
      message = encode(protocol, [event], where === "request.sentAt" ? { sentAt: absurd } : {});
    }
    return rpcCase(
      ctx,
      "absurd_timestamps",
      protocol,
      frameMessages(protocol, [message]),
      [...DECODE],
    );
  });
}
