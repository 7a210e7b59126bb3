/**
 * The fuzzer's request classes as fast-check arbitraries: each draws a protocol and builds the
 * bytes of one request (valid, or broken in the way its class names), with the answer codes that
 * class may get. `sampleCases` draws them deterministically from a seed, in chunks, so 100k
 * cases never sit in memory at once.
 *
 * @module
 */
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { clone, create, fromJson, type JsonObject, toBinary, toJson } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema, TrackRequestSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { deepJson, deepStructBinary } from "./deep_values.ts";
import {
  badLength,
  Choices,
  damageNested,
  flipBytes,
  truncate,
  wrongWireType,
} from "./protobuf_mutation.ts";
import {
  type Family,
  frameMessages,
  isEnveloped,
  type Protocol,
  RPC_PROTOCOLS,
  rpcRequest,
} from "./protocols.ts";
import { concat, envelope, FLAG_COMPRESSED, lenField } from "./wire.ts";
import type { WireRequest } from "./wire_client.ts";

/** One generated request and what may come back. */
export interface FuzzCase {
  /** The request class, e.g. "bit_flips". */
  kind: string;
  /** The protocol's name, or "POST /analytics" and the like for plain HTTP. */
  protocol: string;
  family: Family;
  rpc: "Track" | "TrackStream";
  request: WireRequest;
  /** Answer codes this class may get (`ok`, Connect codes, `http_<status>`). */
  expect: readonly string[];
  /** Every event of the request is valid: each must be ACCEPTED (and then be in the log). */
  allValid?: boolean;
}

/** What the cases need to know about the ingest under test. */
export interface CaseContext {
  /** A configured write key (all channels). */
  writeKey: string;
  maxRequestBytes: number;
  maxBatchEvents: number;
  maxStreamEvents: number;
}

const encoder = new TextEncoder();

const POOL_SIZE = 4096;
let pool: Event[] | undefined;

/**
 * Valid events of every channel from the load generator's sessions: copies of `count` events of
 * a pool drawn once (making a session per case would cost more than sending it).
 */
function validEvents(seed: number, count: number): Event[] {
  pool ??= createEventSource({ seed: 1 }).batch(POOL_SIZE);
  return Array.from({ length: count }, (_, i) => clone(EventSchema, pool![(seed + i) % POOL_SIZE]));
}

function encode(protocol: Protocol, events: Event[], extra: Partial<{ sentAt: unknown }> = {}) {
  const message = create(TrackRequestSchema, { events, ...extra } as never);
  return protocol.codec === "proto"
    ? toBinary(TrackRequestSchema, message)
    : encoder.encode(JSON.stringify(toJson(TrackRequestSchema, message)));
}

function trackJson(events: Event[]): JsonObject {
  return toJson(TrackRequestSchema, create(TrackRequestSchema, { events })) as JsonObject;
}

const protocolArb = fc.constantFrom(...RPC_PROTOCOLS);
const protoProtocolArb = fc.constantFrom(...RPC_PROTOCOLS.filter((p) => p.codec === "proto"));
const jsonProtocolArb = fc.constantFrom(...RPC_PROTOCOLS.filter((p) => p.codec === "json"));
const envelopedArb = fc.constantFrom(...RPC_PROTOCOLS.filter(isEnveloped));
const choicesArb = fc.array(fc.nat(), { minLength: 16, maxLength: 16 }).map((v) => new Choices(v));
const seedArb = fc.nat();

/** Builds the FuzzCase of an RPC request with the key in the Authorization header. */
function rpcCase(
  ctx: CaseContext,
  kind: string,
  protocol: Protocol,
  body: Uint8Array,
  expect: readonly string[],
  headers: Record<string, string> = {},
  query = "",
): FuzzCase {
  return {
    kind,
    protocol: protocol.name,
    family: protocol.family,
    rpc: protocol.rpc,
    request: rpcRequest(
      protocol,
      body,
      { authorization: `Bearer ${ctx.writeKey}`, ...headers },
      query,
    ),
    expect,
  };
}

const DECODE = ["invalid_argument", "ok"] as const;

/** Valid requests of every protocol: each event must be accepted. */
function validCase(ctx: CaseContext) {
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

function randomBytesCase(ctx: CaseContext) {
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
function damagedProtobufCase(ctx: CaseContext) {
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
function wrongJsonTypeCase(ctx: CaseContext) {
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
function hugeStringCase(ctx: CaseContext) {
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
function deepPropertiesCase(ctx: CaseContext) {
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
function hugePropertiesCase(ctx: CaseContext) {
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
const INVALID_UTF8 = [
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0x28],
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded in UTF-8
  [0xc0, 0xaf], // overlong "/"
  [0xff],
];

/** A string field whose bytes are not UTF-8, in binary or in JSON text. */
function invalidUtf8Case(ctx: CaseContext) {
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
function absurdTimestampCase(ctx: CaseContext) {
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

/** Too many events in a request, too many bytes, or too many events over a stream. */
function oversizedBatchCase(ctx: CaseContext) {
  return fc.tuple(protocolArb, seedArb, fc.constantFrom("events", "bytes", "stream")).map(
    ([protocol, seed, what]) => {
      let messages: Uint8Array[];
      if (what === "events") {
        messages = [encode(protocol, tinyEvents(seed, ctx.maxBatchEvents + 1))];
      } else if (what === "bytes") {
        const [event] = validEvents(seed, 1);
        event.interactionText = "y".repeat(ctx.maxRequestBytes);
        messages = [encode(protocol, [event])];
      } else if (protocol.rpc === "TrackStream") {
        const perMessage = Math.min(ctx.maxBatchEvents, 100);
        const count = Math.ceil((ctx.maxStreamEvents + 1) / perMessage);
        const batch = encode(protocol, tinyEvents(seed, perMessage));
        messages = Array.from({ length: count }, () => batch);
      } else {
        messages = [encode(protocol, tinyEvents(seed, ctx.maxBatchEvents + 1))];
      }
      return rpcCase(
        ctx,
        "oversized_batch",
        protocol,
        frameMessages(protocol, messages),
        // A stream over the limit stores what came before it: ok is never right, the call fails.
        ["invalid_argument", "resource_exhausted"],
      );
    },
  );
}

/** Small events (the same one repeated): the count is the point, not the content. */
function tinyEvents(seed: number, count: number): Event[] {
  const [event] = validEvents(seed, 1);
  return Array.from({ length: count }, () => event);
}

/** Envelopes that lie: wrong length prefix, compressed flag without an encoding, odd flags. */
function badFramingCase(ctx: CaseContext) {
  return fc.tuple(
    envelopedArb,
    seedArb,
    fc.constantFrom(
      "length_too_long",
      "length_too_short",
      "length_huge",
      "compressed_without_encoding",
      "odd_flags",
      "torn_header",
      "empty_body",
      "two_messages",
      "trailing_garbage",
    ),
    choicesArb,
  ).map(([protocol, seed, how, choose]) => {
    const message = encode(protocol, validEvents(seed, 1));
    let body: Uint8Array;
    switch (how) {
      case "length_too_long":
        body = envelope(message, 0, message.byteLength + 1 + choose.below(100));
        break;
      case "length_too_short":
        body = envelope(message, 0, choose.below(message.byteLength));
        break;
      case "length_huge":
        body = envelope(message, 0, 0xffffffff - choose.below(1000));
        break;
      case "compressed_without_encoding":
        body = envelope(message, FLAG_COMPRESSED);
        break;
      case "odd_flags":
        body = envelope(message, [0x02, 0x04, 0x80, 0x7e, 0xff][choose.below(5)]);
        break;
      case "torn_header":
        body = envelope(message).subarray(0, 1 + choose.below(4));
        break;
      case "empty_body":
        body = new Uint8Array();
        break;
      case "two_messages":
        body = concat([envelope(message), envelope(message)]);
        break;
      default:
        body = concat([envelope(message), new Uint8Array([0, 0, 0]).map(() => choose.below(256))]);
    }
    return rpcCase(
      ctx,
      "bad_framing",
      protocol,
      body,
      ["invalid_argument", "resource_exhausted", "unimplemented", "ok"],
    );
  });
}

/** Content types the ingest does not serve, or none. */
function badContentTypeCase(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.oneof(
      fc.constantFrom(
        "",
        "text/plain",
        "application/protobuf",
        "application/x-protobuf",
        "application/grpc-web-text",
        "application/connect+xml",
        "application/grpc+xml",
        "application/json; charset=latin1",
        "multipart/form-data; boundary=x",
        "application/grpc-web+proto+json",
      ),
      fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,20}$/),
    ),
  ).map(([protocol, seed, contentType]) => {
    const body = frameMessages(protocol, [encode(protocol, validEvents(seed, 1))]);
    return rpcCase(
      ctx,
      "bad_content_type",
      protocol,
      body,
      ["http_415", "unimplemented", "invalid_argument"],
      // An empty value removes the header.
      { "content-type": contentType },
    );
  });
}

/** Compression that is claimed and not applied, unknown, or a bomb. */
function badEncodingCase(ctx: CaseContext) {
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.constantFrom("not_gzip", "unknown", "bomb"),
  ).map(([protocol, seed, how]) => {
    const message = encode(protocol, validEvents(seed, 1));
    const header = protocol.family === "connect"
      ? "content-encoding"
      : protocol.family === "connect_stream"
      ? "connect-content-encoding"
      : "grpc-encoding";
    let payload: Uint8Array;
    let encoding: string;
    if (how === "unknown") {
      payload = message;
      encoding = "snappy";
    } else if (how === "not_gzip") {
      payload = message;
      encoding = "gzip";
    } else {
      payload = gzipBomb(ctx.maxRequestBytes * 4);
      encoding = "gzip";
    }
    const body = isEnveloped(protocol) ? envelope(payload, FLAG_COMPRESSED) : payload;
    return rpcCase(
      ctx,
      "bad_encoding",
      protocol,
      body,
      ["invalid_argument", "unimplemented", "resource_exhausted"],
      { [header]: encoding },
    );
  });
}

let bomb: { size: number; bytes: Uint8Array } | undefined;
function gzipBomb(size: number): Uint8Array {
  if (bomb?.size !== size) {
    bomb = { size, bytes: new Uint8Array(gzipSync(new Uint8Array(size))) };
  }
  return bomb.bytes;
}

/** Missing, malformed, unknown or misplaced write keys. */
function badKeyCase(ctx: CaseContext) {
  const garbage = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);
  return fc.tuple(
    protocolArb,
    seedArb,
    fc.oneof(
      fc.constant<[Record<string, string>, string]>([{ authorization: "" }, ""]),
      garbage.map((g): [Record<string, string>, string] => [{ authorization: `Bearer ${g}` }, ""]),
      garbage.map((g): [Record<string, string>, string] => [{ authorization: g }, ""]),
      fc.constant<[Record<string, string>, string]>([
        { authorization: `Basic ${btoa("user:pass")}` },
        "",
      ]),
      fc.constant<[Record<string, string>, string]>([
        { authorization: `Bearer ${"a".repeat(8000)}` },
        "",
      ]),
      garbage.map((g): [Record<string, string>, string] => [
        { authorization: "" },
        `?write_key=${encodeURIComponent(g)}`,
      ]),
      fc.constant<[Record<string, string>, string]>([
        { authorization: "" },
        "?write_key=%FF%FE%00",
      ]),
    ),
  ).map(([protocol, seed, [headers, query]]) => {
    const body = frameMessages(protocol, [encode(protocol, validEvents(seed, 1))]);
    return rpcCase(ctx, "bad_keys", protocol, body, ["unauthenticated"], headers, query);
  });
}

/** The original JSON endpoint with any JSON, wrong types, deep metadata, bad bytes. */
function legacyCase(ctx: CaseContext) {
  const validish = fc.record({
    event_type: fc.oneof(fc.constant("click"), fc.jsonValue({ maxDepth: 2 })),
    channel: fc.oneof(
      fc.constantFrom("web", "mobile", "voice", "chat"),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    session_id: fc.oneof(fc.constant("s-legacy-fuzz"), fc.jsonValue({ maxDepth: 1 })),
    timestamp: fc.oneof(
      fc.constantFrom("2026-11-28T08:00:00Z", 1e300, -1e20, "0000-00-00", 1.5, "yesterday"),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    metadata: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant('{"a":')),
  }, { requiredKeys: [] });
  const body = fc.oneof(
    { weight: 3, arbitrary: validish.map((v) => encoder.encode(JSON.stringify(v))) },
    {
      weight: 2,
      arbitrary: fc.array(validish, { maxLength: 5 }).map((v) => encoder.encode(JSON.stringify(v))),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => encoder.encode(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1_000, 100_000).map((d) =>
        encoder.encode(
          `{"event_type":"click","channel":"web","session_id":"s","metadata":${
            deepJson(d, false)
          }}`,
        )
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...INVALID_UTF8).map((bad) =>
        concat([
          encoder.encode('{"event_type":"click","channel":"web","session_id":"s-'),
          new Uint8Array(bad),
          encoder.encode('"}'),
        ])
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(0).map(() =>
        encoder.encode(JSON.stringify(
          Array.from(
            { length: ctx.maxBatchEvents + 1 },
            () => ({ event_type: "click", channel: "web", session_id: "s" }),
          ),
        ))
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(0).map(() =>
        encoder.encode(JSON.stringify({
          event_type: "click",
          channel: "web",
          session_id: "s",
          interaction_text: "z".repeat(ctx.maxRequestBytes),
        }))
      ),
    },
  );
  return fc.tuple(body, fc.constantFrom("application/json", "text/plain", "")).map(
    ([bytes, contentType]): FuzzCase => ({
      kind: "legacy_json",
      protocol: "POST /analytics",
      family: "plain",
      rpc: "Track",
      request: {
        transport: "http1",
        port: "http",
        method: "POST",
        path: "/analytics",
        headers: contentType ? { "content-type": contentType } : {},
        body: bytes,
      },
      expect: ["http_200", "http_400", "http_413"],
    }),
  );
}

/** Wrong methods and paths on both listeners. */
function badRouteCase(_ctx: CaseContext) {
  return fc.tuple(
    fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "POST"),
    fc.oneof(
      fc.constantFrom(
        "/analytics.v1.IngestService/Nope",
        "/analytics.v1.NopeService/Track",
        "/analytics",
        "/health",
        "/ready",
        "/",
        "/%ff%fe",
        "/analytics.v1.IngestService/Track/extra",
        "//analytics.v1.IngestService/Track",
      ),
      fc.stringMatching(/^\/[a-zA-Z0-9._~%-]{0,40}$/),
    ),
    fc.constantFrom("http1", "h2c") as fc.Arbitrary<"http1" | "h2c">,
  ).filter(([method, path]) =>
    !(method === "POST" && path === "/analytics") &&
    !(method === "GET" && (path === "/health" || path === "/ready"))
  ).map(([method, path, transport]): FuzzCase => ({
    kind: "bad_route",
    protocol: `${method} ${transport}`,
    family: "plain",
    rpc: "Track",
    request: {
      transport,
      port: "http",
      method,
      path,
      headers: { "content-type": "application/json" },
      body: encoder.encode("{}"),
    },
    expect: ["http_404", "http_405", "http_415"],
  }));
}

/** The request classes (by generator) and their relative weights. */
export function caseClasses(ctx: CaseContext): Record<string, [number, fc.Arbitrary<FuzzCase>]> {
  return {
    valid: [10, validCase(ctx)],
    random_bytes: [10, randomBytesCase(ctx)],
    damaged_protobuf: [20, damagedProtobufCase(ctx)],
    wrong_json_types: [8, wrongJsonTypeCase(ctx)],
    huge_strings: [4, hugeStringCase(ctx)],
    deep_properties: [3, deepPropertiesCase(ctx)],
    huge_properties: [2, hugePropertiesCase(ctx)],
    invalid_utf8: [5, invalidUtf8Case(ctx)],
    absurd_timestamps: [5, absurdTimestampCase(ctx)],
    oversized_batch: [1, oversizedBatchCase(ctx)],
    bad_framing: [8, badFramingCase(ctx)],
    bad_content_type: [5, badContentTypeCase(ctx)],
    bad_encoding: [4, badEncodingCase(ctx)],
    bad_keys: [6, badKeyCase(ctx)],
    legacy_json: [10, legacyCase(ctx)],
    bad_route: [3, badRouteCase(ctx)],
  };
}

/** Every class, drawn by weight. */
export function caseArbitrary(ctx: CaseContext): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    ...Object.values(caseClasses(ctx)).map(([weight, arbitrary]) => ({ weight, arbitrary })),
  );
}

/** `count` cases drawn from `seed`, in chunks of `chunk` (each chunk from its own derived seed). */
export function* sampleCases(
  ctx: CaseContext,
  seed: number,
  count: number,
  chunk = 250,
): Generator<FuzzCase> {
  const arbitrary = caseArbitrary(ctx);
  for (let done = 0, i = 0; done < count; i++) {
    const n = Math.min(chunk, count - done);
    yield* fc.sample(arbitrary, { seed: (seed + Math.imul(i, 0x9e3779b1)) | 0, numRuns: n });
    done += n;
  }
}
