/**
 * The Connect JSON event format, for browsers: events are plain objects typed by the schema's
 * generated JSON types (`EventJson`, protoc-gen-es `json_types`), posted to
 * `IngestService.Track` as a Connect unary JSON call with `fetch`. No Protobuf runtime and no
 * descriptors are loaded, which keeps a page's bundle small (the Protobuf path weighs about
 * 40 KB gzipped before any client code).
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type ChannelJson,
  type EventJson,
  type TrackRequestJson,
  type TrackResponseJson,
  uuidv7,
} from "@analytics/schema";
import type { EventFormat, EventOutcome } from "../client/event_format.ts";

/** Where and how a Connect JSON client sends. */
export interface ConnectJsonFormatOptions {
  /** The ingest's HTTP address, e.g. https://ingest.example.com or http://127.0.0.1:3001. */
  baseUrl: string;
  /** The write key: `authorization: Bearer`, or `?write_key=` on keepalive requests. */
  writeKey: string;
  /** The channel of the events (an event may override it). */
  channel: ChannelJson;
  /** Platform within the channel, e.g. "web". */
  platform?: string;
  /** The library that made the events, recorded in `client`. */
  library?: { name: string; version: string };
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

const TRACK_PATH = "/analytics.v1.IngestService/Track";
const OUTCOMES: Record<string, EventOutcome> = {
  OUTCOME_ACCEPTED: "accepted",
  OUTCOME_REJECTED: "rejected",
  OUTCOME_NOT_STORED: "not_stored",
};
const encoder = new TextEncoder();

/** Events as Connect JSON objects (`EventJson`), sent with fetch. */
export function connectJsonFormat(
  options: ConnectJsonFormatOptions,
): EventFormat<EventJson, EventJson> {
  const url = options.baseUrl.replace(/\/+$/, "") + TRACK_PATH;
  const keepaliveUrl = `${url}?write_key=${encodeURIComponent(options.writeKey)}`;
  return {
    encode: (event) => event,
    decode: (stored) => stored as EventJson,
    // One comma between events in the array.
    size: (event) => encoder.encode(JSON.stringify(event)).length + 1,
    create(init, nowMs, ids) {
      const event: EventJson = { ...init };
      event.eventId ||= uuidv7();
      event.timestamp ||= new Date(nowMs).toISOString();
      event.channel ||= options.channel;
      if (options.platform) event.platform ||= options.platform;
      event.sessionId ||= ids.sessionId();
      event.anonymousId ||= ids.anonymousId;
      if (ids.userId) event.userId ||= ids.userId;
      const library = options.library;
      if (library && !event.client?.libraryName) {
        event.client = {
          ...event.client,
          libraryName: library.name,
          libraryVersion: library.version,
        };
      }
      return event;
    },
    identifyInit: (userId, traits) => ({
      eventType: "identify",
      eventCategory: "identity",
      userId,
      properties: traits as EventJson["properties"],
    }),
    async send(events, sentAtMs, { timeoutMs, keepalive }) {
      const sentAt = new Date(sentAtMs).toISOString();
      for (const event of events) event.sentAt = sentAt;
      const request: TrackRequestJson = { events, sentAt };
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "connect-protocol-version": "1",
        "connect-timeout-ms": String(timeoutMs),
      };
      if (!keepalive) headers.authorization = `Bearer ${options.writeKey}`;
      const response = await (options.fetch ?? globalThis.fetch)(keepalive ? keepaliveUrl : url, {
        method: "POST",
        headers,
        body: JSON.stringify(request),
        keepalive,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw connectErrorFromResponse(response.status, text);
      const answer = JSON.parse(text) as TrackResponseJson;
      return (answer.results ?? []).map((r) => ({
        index: r.index ?? 0,
        outcome: OUTCOMES[r.outcome ?? ""] ?? "not_stored",
        field: r.field ?? "",
        reason: r.reason ?? "",
      }));
    },
    close() {},
  };
}

/**
 * The ConnectError of a failed Connect unary call: the code and message of its JSON error body,
 * or, from a proxy that sent something else, the code the Connect protocol maps the HTTP status to.
 */
export function connectErrorFromResponse(status: number, body: string): ConnectError {
  try {
    const error = JSON.parse(body) as { code?: string; message?: string };
    const code = codeFromName(error.code ?? "");
    if (code !== undefined) return new ConnectError(error.message ?? "", code);
  } catch {
    // Not a Connect error body: fall back to the HTTP status.
  }
  return new ConnectError(`HTTP ${status}: ${body.slice(0, 200)}`, codeFromStatus(status));
}

function codeFromName(name: string): Code | undefined {
  const pascal = name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  const code = (Code as unknown as Record<string, Code | undefined>)[pascal];
  return typeof code === "number" ? code : undefined;
}

function codeFromStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.Internal;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.Unavailable;
    default:
      return Code.Unknown;
  }
}
