/**
 * Every way into the ingest the fuzzer uses, and how each one frames a request and reports an
 * answer: Connect unary and streaming (JSON and binary, HTTP/1.1 and h2c), gRPC-web, gRPC, and
 * the plain endpoints (`POST /analytics`, `/health`...). `readAnswer` turns any response into one
 * `Answer`: a code (`ok`, a Connect code name, or `http_<status>` for plain HTTP), a message and,
 * for successful calls, the per-event results.
 *
 * @module
 */
import { fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import {
  type EventResult,
  TrackResponseSchema,
  TrackStreamResponseSchema,
} from "@analytics/schema";
import type { Transport, WireRequest, WireResponse } from "./wire_client.ts";
import {
  concat,
  envelope,
  FLAG_END_STREAM,
  FLAG_TRAILER,
  parseEnvelopes,
  parseTrailerText,
} from "./wire.ts";

/** The protocol families, which decide framing and how errors are reported. */
export type Family = "connect" | "connect_stream" | "grpc_web" | "grpc" | "plain";

/** One way in: a protocol family with its codec, RPC and transport. */
export interface Protocol {
  name: string;
  family: Family;
  codec: "proto" | "json";
  rpc: "Track" | "TrackStream";
  transport: Transport;
  port: "http" | "grpc";
}

const SERVICE = "/analytics.v1.IngestService";

/** The RPC protocols the fuzzer drives (plain HTTP is built by the cases themselves). */
export const RPC_PROTOCOLS: readonly Protocol[] = ([
  { name: "connect+proto", family: "connect", codec: "proto", rpc: "Track", transport: "http1" },
  { name: "connect+json", family: "connect", codec: "json", rpc: "Track", transport: "http1" },
  { name: "connect+proto h2c", family: "connect", codec: "proto", rpc: "Track", transport: "h2c" },
  {
    name: "connect-stream+proto",
    family: "connect_stream",
    codec: "proto",
    rpc: "TrackStream",
    transport: "http1",
  },
  {
    name: "connect-stream+json h2c",
    family: "connect_stream",
    codec: "json",
    rpc: "TrackStream",
    transport: "h2c",
  },
  { name: "grpc-web+proto", family: "grpc_web", codec: "proto", rpc: "Track", transport: "http1" },
  {
    name: "grpc-web+json stream",
    family: "grpc_web",
    codec: "json",
    rpc: "TrackStream",
    transport: "http1",
  },
  { name: "grpc", family: "grpc", codec: "proto", rpc: "Track", transport: "h2c", port: "grpc" },
  {
    name: "grpc stream",
    family: "grpc",
    codec: "proto",
    rpc: "TrackStream",
    transport: "h2c",
    port: "grpc",
  },
  {
    name: "grpc+json",
    family: "grpc",
    codec: "json",
    rpc: "Track",
    transport: "h2c",
    port: "grpc",
  },
] as Omit<Protocol, "port">[]).map((p) => ({ port: "http", ...p }) as Protocol);

/** The content type a protocol sends. */
export function contentTypeOf(protocol: Protocol): string {
  const { family, codec } = protocol;
  switch (family) {
    case "connect":
      return `application/${codec}`;
    case "connect_stream":
      return `application/connect+${codec}`;
    case "grpc_web":
      return `application/grpc-web+${codec}`;
    case "grpc":
      return codec === "proto" ? "application/grpc" : "application/grpc+json";
    case "plain":
      return "application/json";
  }
}

/** Whether the protocol wraps messages in envelopes (everything but unary Connect). */
export function isEnveloped(protocol: Protocol): boolean {
  return protocol.family !== "connect" && protocol.family !== "plain";
}

/**
 * A request of `protocol` carrying `body` (already framed), with the protocol's headers plus
 * `headers` (which may override them; a value of "" removes a header).
 */
export function rpcRequest(
  protocol: Protocol,
  body: Uint8Array,
  headers: Record<string, string> = {},
  query = "",
): WireRequest {
  const base: Record<string, string> = { "content-type": contentTypeOf(protocol) };
  if (protocol.family === "grpc") base.te = "trailers";
  if (protocol.family === "connect_stream" || protocol.family === "connect") {
    base["connect-protocol-version"] = "1";
  }
  const merged = Object.fromEntries(
    Object.entries({ ...base, ...headers }).filter(([, v]) => v !== ""),
  );
  return {
    transport: protocol.transport,
    port: protocol.port,
    method: "POST",
    path: `${SERVICE}/${protocol.rpc}${query}`,
    headers: merged,
    body,
  };
}

/** Frames whole messages for `protocol`: the raw message for unary Connect, envelopes otherwise. */
export function frameMessages(protocol: Protocol, messages: readonly Uint8Array[]): Uint8Array {
  if (!isEnveloped(protocol)) return messages[0] ?? new Uint8Array();
  return concat(messages.map((m) => envelope(m)));
}

/** What the ingest answered, in one shape for every protocol. */
export interface Answer {
  /** `ok`, a Connect code name (`invalid_argument`...), or `http_<status>` for plain answers. */
  code: string;
  message: string;
  /** HTTP status of the response (0 when there was none). */
  status: number;
  /** Per-event results of a successful Track/TrackStream call. */
  results?: EventResult[];
  /** The parsed JSON body of a plain answer, when it was JSON. */
  json?: unknown;
  /** No usable answer: why (connection dropped, stream reset, unparseable response). */
  broken?: string;
}

const GRPC_CODES = [
  "ok",
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
];

/** Reads any response of the ingest into an Answer. */
export function readAnswer(family: Family, rpc: Protocol["rpc"], res: WireResponse): Answer {
  if (res.status === 0) {
    return { code: "no_answer", message: "", status: 0, broken: res.failure ?? "no answer" };
  }
  try {
    // A gRPC status in the headers is a trailers-only gRPC answer, whatever was asked (the
    // HTTP/1.1 port answers anything that looks like gRPC that way).
    if (res.headers.has("grpc-status") && family !== "plain") return readGrpc(rpc, res, false);
    switch (family) {
      case "connect":
        return readConnectUnary(rpc, res);
      case "connect_stream":
        return readConnectStream(rpc, res);
      case "grpc_web":
        return readGrpc(rpc, res, true);
      case "grpc":
        return readGrpc(rpc, res, false);
      case "plain":
        return readPlain(res);
    }
  } catch (error) {
    return {
      code: "unreadable",
      message: "",
      status: res.status,
      broken: `unreadable answer: ${(error as Error).message}`,
    };
  }
}

function decodeResults(rpc: Protocol["rpc"], data: Uint8Array, json: boolean): EventResult[] {
  const schema = rpc === "Track" ? TrackResponseSchema : TrackStreamResponseSchema;
  const message = json
    ? fromJson(schema, JSON.parse(new TextDecoder().decode(data)) as JsonValue)
    : fromBinary(schema, data);
  return message.results;
}

function isJson(res: WireResponse): boolean {
  return /json/.test(res.headers.get("content-type") ?? "");
}

function readConnectUnary(rpc: Protocol["rpc"], res: WireResponse): Answer {
  if (res.status === 200) {
    return {
      code: "ok",
      message: "",
      status: 200,
      results: decodeResults(rpc, res.body, isJson(res)),
    };
  }
  if (isJson(res) && res.body.byteLength > 0) {
    const error = JSON.parse(new TextDecoder().decode(res.body)) as {
      code?: string;
      message?: string;
    };
    if (typeof error.code === "string") {
      return { code: error.code, message: error.message ?? "", status: res.status };
    }
  }
  return plainAnswer(res);
}

function readConnectStream(rpc: Protocol["rpc"], res: WireResponse): Answer {
  if (res.status !== 200) return readConnectUnary(rpc, res);
  const { envelopes, rest } = parseEnvelopes(res.body);
  if (rest.byteLength > 0) throw new Error("torn envelope in the response");
  const end = envelopes.find((e) => (e.flags & FLAG_END_STREAM) !== 0);
  if (!end) throw new Error("no end-stream message");
  const endJson = JSON.parse(new TextDecoder().decode(end.data)) as {
    error?: { code?: string; message?: string };
  };
  if (endJson.error) {
    return {
      code: endJson.error.code ?? "missing_code",
      message: endJson.error.message ?? "",
      status: 200,
    };
  }
  const message = envelopes.find((e) => (e.flags & FLAG_END_STREAM) === 0);
  if (!message) throw new Error("no response message and no error");
  return {
    code: "ok",
    message: "",
    status: 200,
    results: decodeResults(rpc, message.data, isJson(res)),
  };
}

function readGrpc(rpc: Protocol["rpc"], res: WireResponse, web: boolean): Answer {
  if (res.status !== 200) return plainAnswer(res);
  let trailer = new Map(res.trailers);
  let messages = [] as Uint8Array[];
  if (res.headers.has("grpc-status")) {
    trailer = res.headers; // trailers-only answer
  } else {
    const { envelopes, rest } = parseEnvelopes(res.body);
    if (rest.byteLength > 0) throw new Error("torn envelope in the response");
    messages = envelopes.filter((e) => (e.flags & FLAG_TRAILER) === 0).map((e) => e.data);
    if (web) {
      const frame = envelopes.find((e) => (e.flags & FLAG_TRAILER) !== 0);
      if (frame) trailer = parseTrailerText(frame.data);
    }
  }
  const status = trailer.get("grpc-status");
  if (status === undefined) {
    return {
      code: "no_status",
      message: "",
      status: res.status,
      broken: res.failure ?? "no grpc-status",
    };
  }
  const code = GRPC_CODES[Number(status)] ?? `grpc_${status}`;
  const message = decodeURIComponent(trailer.get("grpc-message") ?? "");
  if (code !== "ok") return { code, message, status: res.status };
  if (messages.length !== 1) throw new Error(`${messages.length} response messages`);
  return {
    code,
    message,
    status: res.status,
    results: decodeResults(rpc, messages[0], isJson(res)),
  };
}

function readPlain(res: WireResponse): Answer {
  return plainAnswer(res);
}

function plainAnswer(res: WireResponse): Answer {
  const text = new TextDecoder().decode(res.body);
  let json: unknown;
  let message = text;
  if (isJson(res) && text !== "") {
    json = JSON.parse(text);
    const fields = json as { error?: unknown; message?: unknown; results?: unknown };
    message = typeof fields?.error === "string"
      ? fields.error
      : typeof fields?.message === "string"
      ? fields.message
      : Array.isArray(fields?.results)
      // A batch answer of POST /analytics: the first failed event's error stands for all.
      ? String(
        (fields.results as { error?: string }[]).find((r) => r.error)?.error ?? "",
      )
      : "";
  }
  return { code: `http_${res.status}`, message, status: res.status, json };
}
