import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { createContextValues } from "@connectrpc/connect";
import type { UniversalServerResponse } from "@connectrpc/connect/protocol";
import { TrackRequestSchema } from "@analytics/schema";
import { createLogger } from "../observability/mod.ts";
import { createCorsPolicy } from "./cors.ts";
import { createIngestHandler } from "./ingest_handler.ts";
import { createIngestRouter } from "./router.ts";
import { reclassifyClientFault } from "./client_fault_answers.ts";
import { acceptAllService } from "./testdata/accept_all_service.ts";
import { pageView } from "./testdata/events.ts";

const handler = createIngestHandler({
  rpcHandlers: createIngestRouter({
    ingestService: acceptAllService().service,
    maxRequestBytes: 1 << 20,
  }).handlers,
  cors: createCorsPolicy([]),
  maxRequestBytes: 1 << 20,
  isReady: () => Promise.resolve(true),
  logger: createLogger({ level: "error" }),
});

/** A truncated TrackRequest: field 1 (events) promises 0x7f bytes and has 1. */
const TRUNCATED = new Uint8Array([0x0a, 0x7f, 0x01]);

function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

async function call(rpc: string, contentType: string | null, body: Uint8Array) {
  const header = new Headers(contentType === null ? {} : { "content-type": contentType });
  const response: UniversalServerResponse = await handler({
    httpVersion: "1.1",
    method: "POST",
    url: `http://127.0.0.1/analytics.v1.IngestService/${rpc}`,
    header,
    body: (async function* () {
      yield body;
    })(),
    signal: new AbortController().signal,
    contextValues: createContextValues(),
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  const bytes = new Uint8Array(chunks.flatMap((c) => [...c]));
  return { status: response.status, bytes, trailer: response.trailer, header: response.header };
}

/** The last envelope's data as text (gRPC-web trailer frame, Connect end-stream message). */
function lastEnvelopeText(bytes: Uint8Array): { flags: number; text: string } {
  let at = 0, last = { flags: 0, text: "" };
  while (at + 5 <= bytes.length) {
    const length = new DataView(bytes.buffer, at + 1, 4).getUint32(0);
    last = {
      flags: bytes[at],
      text: new TextDecoder().decode(bytes.subarray(at + 5, at + 5 + length)),
    };
    at += 5 + length;
  }
  return last;
}

Deno.test("Connect unary: an undecodable binary body is invalid_argument naming the type", async () => {
  const answer = await call("Track", "application/proto", TRUNCATED);
  assert.equal(answer.status, 400);
  const error = JSON.parse(new TextDecoder().decode(answer.bytes));
  assert.equal(error.code, "invalid_argument");
  assert.match(error.message, /cannot decode analytics\.v1\.TrackRequest/);
  assert.equal(answer.header?.get("content-length"), String(answer.bytes.byteLength));
});

Deno.test("gRPC: an undecodable message gets grpc-status 3 in the trailers", async () => {
  const answer = await call("Track", "application/grpc", envelope(TRUNCATED));
  assert.equal(answer.trailer?.get("grpc-status"), "3");
  assert.match(decodeURIComponent(answer.trailer!.get("grpc-message")!), /TrackRequest/);
});

Deno.test("gRPC-web: the trailer frame says invalid_argument; compressed without encoding too", async () => {
  const garbage = await call("TrackStream", "application/grpc-web+proto", envelope(TRUNCATED));
  const trailer = lastEnvelopeText(garbage.bytes);
  assert.equal(trailer.flags & 0x80, 0x80);
  assert.match(trailer.text, /^grpc-status: 3\r\n/);
  const valid = toBinary(TrackRequestSchema, create(TrackRequestSchema, { events: [pageView()] }));
  const flagged = await call("Track", "application/grpc-web+proto", envelope(valid, 0x01));
  const text = lastEnvelopeText(flagged.bytes).text;
  assert.match(text, /grpc-status: 3/);
  assert.match(decodeURIComponent(text), /grpc-encoding/);
});

Deno.test("Connect streaming: the end-stream error is invalid_argument", async () => {
  const answer = await call("TrackStream", "application/connect+proto", envelope(TRUNCATED));
  const end = lastEnvelopeText(answer.bytes);
  assert.equal(end.flags & 0x02, 0x02);
  assert.equal(JSON.parse(end.text).error.code, "invalid_argument");
});

Deno.test("valid calls and other errors pass through unchanged", async () => {
  const valid = toBinary(TrackRequestSchema, create(TrackRequestSchema, { events: [pageView()] }));
  const ok = await call("Track", "application/grpc-web+proto", envelope(valid));
  assert.match(lastEnvelopeText(ok.bytes).text, /^grpc-status: 0/);
  assert.equal(reclassifyClientFault("internal", "database on fire", "x"), undefined);
  assert.equal(reclassifyClientFault("unavailable", "parse binary: x", "x"), undefined);
});

Deno.test("an unsupported content type gets a 415 that names it and what is served", async () => {
  for (const type of ["text/plain", null]) {
    const answer = await call("Track", type, new Uint8Array([1]));
    assert.equal(answer.status, 415);
    const { error } = JSON.parse(new TextDecoder().decode(answer.bytes));
    assert.match(error, /content-type/);
    assert.match(error, type === null ? /\(none\)/ : /text\/plain/);
    assert.match(error, /application\/grpc-web\+proto/);
  }
});

Deno.test("JSON that is not valid UTF-8 is invalid_argument, not stored with U+FFFD", async () => {
  const json = new TextEncoder().encode(
    JSON.stringify({ events: [{ eventType: "MARK", sessionId: "s" }] }),
  );
  const at = json.indexOf(0x4d); // "M"
  json.set([0xc3, 0x28], at);
  const unary = await call("Track", "application/json", json);
  assert.equal(unary.status, 400);
  assert.match(new TextDecoder().decode(unary.bytes), /"invalid_argument".*not valid UTF-8/);
  const web = await call("TrackStream", "application/grpc-web+json", envelope(json));
  assert.match(lastEnvelopeText(web.bytes).text, /(^|\n)grpc-status: 3\r\n/);
});
