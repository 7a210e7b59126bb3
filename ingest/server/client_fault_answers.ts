/**
 * connect-es 2.3 answers some mistakes of the client as if they were the server's:
 *
 * - a request message it cannot decode from binary (truncated, a wrong wire type, invalid UTF-8,
 *   nested past protobuf-es' recursion limit) is `internal` "parse binary: …", while the same
 *   fault in JSON is `invalid_argument`;
 * - a message flagged compressed in a request that names no encoding is `internal`;
 * - an unsupported content type is a bare HTTP 415 with no word of what is served.
 *
 * Found by the fuzzer (ingest/fuzz). This wraps an RPC handler and rewrites exactly those answers,
 * in each protocol's own form (Connect unary JSON error, Connect end-stream message, gRPC
 * trailers, gRPC-web trailer frame): `invalid_argument` naming the message type that could not be
 * decoded or the missing encoding header, and a 415 that names the content type and the ones that
 * are served. Every other answer passes through untouched.
 *
 * @module
 */
import type {
  UniversalHandler,
  UniversalServerRequest,
  UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import { readAllBytes } from "./read_all_bytes.ts";

/** Envelope flags: Connect's end-of-stream message, gRPC-web's trailer frame, compression. */
const END_STREAM = 0x02;
const TRAILER = 0x80;
const COMPRESSED = 0x01;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The code and message a client fault should have been given, or undefined when not one. */
export function reclassifyClientFault(
  code: string,
  message: string,
  inputType: string,
): { code: "invalid_argument"; message: string } | undefined {
  if (code !== "internal") return undefined;
  if (message.startsWith("parse binary: ")) {
    return {
      code: "invalid_argument",
      message: `cannot decode ${inputType} from the request's binary body: ${
        message.slice("parse binary: ".length)
      }`,
    };
  }
  if (message === "received compressed envelope, but do not know how to decompress") {
    return {
      code: "invalid_argument",
      message: "a message is flagged compressed but the request names no encoding " +
        "(grpc-encoding or connect-content-encoding header)",
    };
  }
  return undefined;
}

/** Wraps `handler` so client faults get a client code and a message naming the problem. */
export function answerClientFaults(
  handler: UniversalHandler,
  request: UniversalServerRequest,
): Promise<UniversalServerResponse> {
  return handler(request).then((response) =>
    rewrite(response, request, handler.method.input.typeName)
  );
}

async function rewrite(
  response: UniversalServerResponse,
  request: UniversalServerRequest,
  inputType: string,
): Promise<UniversalServerResponse> {
  if (response.status === 415 && response.body === undefined) {
    return unsupportedMediaType(response, request);
  }
  if (!isByteStream(response.body)) return response;
  const contentType = response.header?.get("content-type") ?? "";
  if (response.status !== 200 && contentType.startsWith("application/json")) {
    return await rewriteUnaryError(response, response.body, inputType);
  }
  if (response.status !== 200) return response;
  if (contentType.startsWith("application/grpc-web")) {
    return {
      ...response,
      body: mapEnvelopes(response.body, TRAILER, rewriteTrailerFrame(inputType)),
    };
  }
  if (contentType.startsWith("application/connect+")) {
    return {
      ...response,
      body: mapEnvelopes(response.body, END_STREAM, rewriteEndStream(inputType)),
    };
  }
  if (contentType.startsWith("application/grpc") && response.trailer) {
    return { ...response, body: thenFixTrailer(response.body, response.trailer, inputType) };
  }
  return response;
}

function unsupportedMediaType(
  response: UniversalServerResponse,
  request: UniversalServerRequest,
): UniversalServerResponse {
  const sent = request.header.get("content-type");
  const body = encoder.encode(JSON.stringify({
    error: `content-type ${sent === null ? "(none)" : JSON.stringify(sent)} is not served at ` +
      `${new URL(request.url).pathname}; use application/proto or application/json (Connect), ` +
      "application/connect+proto or +json (Connect streaming), application/grpc-web+proto or " +
      "+json (gRPC-web), application/grpc (gRPC)",
  }));
  const header = new Headers(response.header);
  header.set("content-type", "application/json");
  header.set("content-length", String(body.byteLength));
  return { ...response, header, body: single(body) };
}

/** Connect unary: status and JSON error body. */
async function rewriteUnaryError(
  response: UniversalServerResponse,
  body: AsyncIterable<Uint8Array>,
  inputType: string,
): Promise<UniversalServerResponse> {
  const bytes = await readAllBytes(body);
  if (response.header?.has("content-encoding")) return { ...response, body: single(bytes) };
  const error = parseJson(bytes) as { code?: string; message?: string } | undefined;
  const fixed = error && reclassifyClientFault(error.code ?? "", error.message ?? "", inputType);
  if (!fixed) return { ...response, body: single(bytes) };
  const out = encoder.encode(JSON.stringify({ ...error, ...fixed }));
  const header = new Headers(response.header);
  header.set("content-length", String(out.byteLength));
  return { ...response, status: 400, header, body: single(out) };
}

/** gRPC: the status is in the trailers, set once the body has been written. */
async function* thenFixTrailer(
  body: AsyncIterable<Uint8Array>,
  trailer: Headers,
  inputType: string,
): AsyncIterable<Uint8Array> {
  yield* body;
  const status = trailer.get("grpc-status");
  const message = decodeURIComponent(trailer.get("grpc-message") ?? "");
  const fixed = status === "13" ? reclassifyClientFault("internal", message, inputType) : undefined;
  if (fixed) {
    trailer.set("grpc-status", "3");
    trailer.set("grpc-message", encodeURIComponent(fixed.message));
  }
}

function rewriteTrailerFrame(inputType: string) {
  return (data: Uint8Array): Uint8Array | undefined => {
    const lines = decoder.decode(data).split("\r\n").filter((l) => l !== "");
    const get = (name: string) =>
      lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    if (get("grpc-status") !== "13") return undefined;
    const fixed = reclassifyClientFault(
      "internal",
      decodeURIComponent(get("grpc-message") ?? ""),
      inputType,
    );
    if (!fixed) return undefined;
    const kept = lines.filter((l) => !/^grpc-(status|message):/i.test(l));
    const text = [
      "grpc-status: 3",
      `grpc-message: ${encodeURIComponent(fixed.message)}`,
      ...kept,
    ].map((l) => `${l}\r\n`).join("");
    return encoder.encode(text);
  };
}

function rewriteEndStream(inputType: string) {
  return (data: Uint8Array): Uint8Array | undefined => {
    const end = parseJson(data) as { error?: { code?: string; message?: string } } | undefined;
    if (!end?.error) return undefined;
    const fixed = reclassifyClientFault(end.error.code ?? "", end.error.message ?? "", inputType);
    if (!fixed) return undefined;
    return encoder.encode(JSON.stringify({ ...end, error: { ...end.error, ...fixed } }));
  };
}

/**
 * Passes enveloped chunks through, replacing the data of uncompressed envelopes with `flag`
 * set when `replace` returns new data. connect-es writes one envelope per chunk.
 */
async function* mapEnvelopes(
  body: AsyncIterable<Uint8Array>,
  flag: number,
  replace: (data: Uint8Array) => Uint8Array | undefined,
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    const flags = chunk[0];
    const length = chunk.byteLength >= 5
      ? new DataView(chunk.buffer, chunk.byteOffset + 1, 4).getUint32(0)
      : -1;
    const whole = length === chunk.byteLength - 5;
    const data = whole && (flags & flag) !== 0 && (flags & COMPRESSED) === 0
      ? replace(chunk.subarray(5))
      : undefined;
    if (data === undefined) {
      yield chunk;
      continue;
    }
    const out = new Uint8Array(5 + data.byteLength);
    out[0] = flags;
    new DataView(out.buffer).setUint32(1, data.byteLength);
    out.set(data, 5);
    yield out;
  }
}

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}
