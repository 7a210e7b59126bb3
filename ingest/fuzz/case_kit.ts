/**
 * What the fuzzer's request classes share: the case and context types, valid events from the load
 * generator, request encoders, the protocol arbitraries and the builder of an RPC case.
 *
 * @module
 */
import fc from "fast-check";
import { clone, create, type JsonObject, toBinary, toJson } from "@bufbuild/protobuf";
import { type Event, EventSchema, TrackRequestSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { Choices } from "./protobuf_mutation.ts";
import { type Family, isEnveloped, type Protocol, RPC_PROTOCOLS, rpcRequest } from "./protocols.ts";
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

/** Shared UTF-8 encoder. */
export const encoder = new TextEncoder();

const POOL_SIZE = 4096;
let pool: Event[] | undefined;

/**
 * Valid events of every channel from the load generator's sessions: copies of `count` events of
 * a pool drawn once (making a session per case would cost more than sending it).
 */
export function validEvents(seed: number, count: number): Event[] {
  pool ??= createEventSource({ seed: 1 }).batch(POOL_SIZE);
  return Array.from({ length: count }, (_, i) => clone(EventSchema, pool![(seed + i) % POOL_SIZE]));
}

/** A TrackRequest of `events` in the protocol's codec (binary or JSON text). */
export function encode(
  protocol: Protocol,
  events: Event[],
  extra: Partial<{ sentAt: unknown }> = {},
) {
  const message = create(TrackRequestSchema, { events, ...extra } as never);
  return protocol.codec === "proto"
    ? toBinary(TrackRequestSchema, message)
    : encoder.encode(JSON.stringify(toJson(TrackRequestSchema, message)));
}

/** A TrackRequest of `events` as a JSON object. */
export function trackJson(events: Event[]): JsonObject {
  return toJson(TrackRequestSchema, create(TrackRequestSchema, { events })) as JsonObject;
}

/** Arbitraries of protocols (all, binary, JSON, enveloped), mutation choices and seeds. */
export const protocolArb = fc.constantFrom(...RPC_PROTOCOLS);
export const protoProtocolArb = fc.constantFrom(
  ...RPC_PROTOCOLS.filter((p) => p.codec === "proto"),
);
export const jsonProtocolArb = fc.constantFrom(...RPC_PROTOCOLS.filter((p) => p.codec === "json"));
export const envelopedArb = fc.constantFrom(...RPC_PROTOCOLS.filter(isEnveloped));
export const choicesArb = fc.array(fc.nat(), { minLength: 16, maxLength: 16 }).map((v) =>
  new Choices(v)
);
export const seedArb = fc.nat();

/** Builds the FuzzCase of an RPC request with the key in the Authorization header. */
export function rpcCase(
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

/** Codes a request that may or may not decode can get. */
export const DECODE = ["invalid_argument", "ok"] as const;
