/**
 * Request classes about how a request is sent: oversized batches, lying envelopes, unserved
 * content types, bad compression, missing or wrong write keys.
 *
 * @module
 */
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import type { Event } from "@analytics/schema";
import { frameMessages, isEnveloped } from "../protocols.ts";
import { concat, envelope, FLAG_COMPRESSED } from "../wire.ts";
import {
  type CaseContext,
  choicesArb,
  encode,
  envelopedArb,
  protocolArb,
  rpcCase,
  seedArb,
  validEvents,
} from "../case_kit.ts";

/** Too many events in a request, too many bytes, or too many events over a stream. */
export function oversizedBatchCase(ctx: CaseContext) {
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
export function badFramingCase(ctx: CaseContext) {
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
export function badContentTypeCase(ctx: CaseContext) {
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
export function badEncodingCase(ctx: CaseContext) {
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
export function badKeyCase(ctx: CaseContext) {
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
