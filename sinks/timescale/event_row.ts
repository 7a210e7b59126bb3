/**
 * The mapping of an `Event` to a row of `analytics_events`: one list of columns, each with its
 * SQL type and how its value comes from the event, shared by both loaders.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import {
  Channel,
  ClientContextSchema,
  EnrichmentSchema,
  type Event,
  EventSchema,
  MessageRole,
} from "@analytics/schema";
import { messageJson } from "./message_json.ts";
import { nulFreeJson, nulFreeText } from "./nul_free.ts";

/** SQL types used by the event table. */
export type ColumnType =
  | "uuid"
  | "timestamptz"
  | "text"
  | "double precision"
  | "bigint"
  | "boolean"
  | "jsonb";

/** A value as sent to PostgreSQL (text form for timestamps, JSON and big integers). */
export type ColumnValue = string | number | boolean | null;

/** One column of the event table. */
export interface Column {
  name: string;
  type: ColumnType;
  value: (event: Event) => ColumnValue;
}

/**
 * A formatter of `seconds.nanos` as ISO 8601 UTC with microseconds (PostgreSQL's precision,
 * truncated). Each keeps the text of the last second it formatted: one per column, since a
 * batch's events share seconds within a column but not across columns.
 */
export function isoFormatter(): (ts: Timestamp | undefined) => string | null {
  let lastSeconds: bigint | undefined;
  let prefix = "";
  return (ts) => {
    if (!ts) return null;
    if (ts.seconds !== lastSeconds) {
      prefix = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19) + ".";
      lastSeconds = ts.seconds;
    }
    return prefix + String(1_000_000 + Math.floor(ts.nanos / 1000)).slice(1) + "Z";
  };
}

const eventTimeIso = isoFormatter();
const timestampIso = isoFormatter();
const receivedAtIso = isoFormatter();
const sentAtIso = isoFormatter();

/** The skew-corrected time of the `timestamp` column (and the rollups): the ingest's, else the
 * client's. */
export function skewCorrectedTime(e: Event): Timestamp | undefined {
  return e.enrichment?.correctedTime ?? e.timestamp;
}

/** Lower-case name of a channel, e.g. "web" for CHANNEL_WEB. */
export function channelName(channel: Channel): string {
  return (Channel[channel] ?? "CHANNEL_UNSPECIFIED").replace(/^CHANNEL_/, "").toLowerCase();
}

const text = (value: string | undefined): string | null => value ? value : null;
const num = (value: number | undefined): number | null => value ? value : null;

function web(e: Event) {
  return e.context.case === "web" ? e.context.value : undefined;
}
function mobile(e: Event) {
  return e.context.case === "mobile" ? e.context.value : undefined;
}
function chat(e: Event) {
  return e.context.case === "chat" ? e.context.value : undefined;
}
function speech(e: Event) {
  return e.context.case === "speech" ? e.context.value : undefined;
}
function agent(e: Event) {
  return e.context.case === "agent" ? e.context.value : undefined;
}

/** Per channel-context case: its JSON key and message type. */
const CONTEXT_FIELDS = new Map<string, { key: string; desc: DescMessage }>(
  EventSchema.fields.flatMap((f) =>
    f.oneof?.name === "context" && f.fieldKind === "message"
      ? [[f.localName, { key: JSON.stringify(f.jsonName), desc: f.message }]]
      : []
  ),
);

/** The channel context as protobuf JSON under its oneof name, e.g. `{"web": {...}}`. */
function contextJson(e: Event): string | null {
  if (e.context.case === undefined) return null;
  const { key, desc } = CONTEXT_FIELDS.get(e.context.case)!;
  return `{${key}:${messageJson(desc, e.context.value)}}`;
}

/** The columns as the event gives their values (NULs not yet replaced). */
const EVENT_VALUES: readonly Column[] = [
  { name: "event_id", type: "uuid", value: (e) => e.eventId },
  { name: "event_time", type: "timestamptz", value: (e) => eventTimeIso(e.timestamp) },
  { name: "timestamp", type: "timestamptz", value: (e) => timestampIso(skewCorrectedTime(e)) },
  {
    name: "received_at",
    type: "timestamptz",
    value: (e) => receivedAtIso(e.enrichment?.receivedAt),
  },
  { name: "sent_at", type: "timestamptz", value: (e) => sentAtIso(e.sentAt) },
  { name: "channel", type: "text", value: (e) => channelName(e.channel) },
  { name: "custom_channel", type: "text", value: (e) => text(e.customChannel) },
  { name: "platform", type: "text", value: (e) => text(e.platform) },
  { name: "event_type", type: "text", value: (e) => e.eventType },
  { name: "event_category", type: "text", value: (e) => text(e.eventCategory) },
  { name: "resource_id", type: "text", value: (e) => text(e.resourceId) },
  { name: "resource_title", type: "text", value: (e) => text(e.resourceTitle) },
  { name: "interaction_target", type: "text", value: (e) => text(e.interactionTarget) },
  { name: "interaction_value", type: "double precision", value: (e) => e.interactionValue ?? null },
  { name: "interaction_text", type: "text", value: (e) => text(e.interactionText) },
  { name: "session_id", type: "text", value: (e) => e.sessionId },
  { name: "user_id", type: "text", value: (e) => text(e.userId) },
  { name: "anonymous_id", type: "text", value: (e) => text(e.anonymousId) },
  { name: "device_id", type: "text", value: (e) => text(e.deviceId) },
  { name: "user_agent", type: "text", value: (e) => text(e.client?.userAgent) },
  { name: "client_version", type: "text", value: (e) => text(e.client?.clientVersion) },
  { name: "source", type: "text", value: (e) => text(e.enrichment?.source) },
  { name: "browser", type: "text", value: (e) => text(e.enrichment?.userAgent?.browserName) },
  { name: "os", type: "text", value: (e) => text(e.enrichment?.userAgent?.osName) },
  { name: "device_type", type: "text", value: (e) => text(e.enrichment?.userAgent?.deviceType) },
  { name: "is_bot", type: "boolean", value: (e) => e.enrichment?.isBot ?? null },
  { name: "ip", type: "text", value: (e) => text(e.enrichment?.ip) },
  { name: "page_path", type: "text", value: (e) => text(web(e)?.path) },
  { name: "page_url", type: "text", value: (e) => text(web(e)?.url) },
  { name: "referrer", type: "text", value: (e) => text(web(e)?.referrer) },
  { name: "utm_source", type: "text", value: (e) => text(web(e)?.utm?.source) },
  { name: "utm_medium", type: "text", value: (e) => text(web(e)?.utm?.medium) },
  { name: "utm_campaign", type: "text", value: (e) => text(web(e)?.utm?.campaign) },
  { name: "utm_term", type: "text", value: (e) => text(web(e)?.utm?.term) },
  { name: "utm_content", type: "text", value: (e) => text(web(e)?.utm?.content) },
  { name: "screen_name", type: "text", value: (e) => text(mobile(e)?.screenName) },
  { name: "app_version", type: "text", value: (e) => text(mobile(e)?.appVersion) },
  { name: "os_name", type: "text", value: (e) => text(mobile(e)?.osName) },
  {
    name: "conversation_id",
    type: "text",
    value: (e) => text(chat(e)?.conversationId ?? agent(e)?.conversationId),
  },
  {
    name: "message_role",
    type: "text",
    value: (e) => {
      const role = chat(e)?.messageRole;
      return role ? MessageRole[role].replace(/^MESSAGE_ROLE_/, "").toLowerCase() : null;
    },
  },
  {
    name: "response_latency_ms",
    type: "double precision",
    value: (e) => num(chat(e)?.responseLatencyMs ?? speech(e)?.responseLatencyMs),
  },
  { name: "intent", type: "text", value: (e) => text(speech(e)?.intent) },
  { name: "confidence", type: "double precision", value: (e) => num(speech(e)?.confidence) },
  {
    name: "model",
    type: "text",
    value: (e) => text(agent(e)?.responseModel || agent(e)?.requestModel),
  },
  { name: "provider", type: "text", value: (e) => text(agent(e)?.providerName) },
  {
    name: "input_tokens",
    type: "bigint",
    value: (e) => agent(e) ? String(agent(e)!.inputTokens) : null,
  },
  {
    name: "output_tokens",
    type: "bigint",
    value: (e) => agent(e) ? String(agent(e)!.outputTokens) : null,
  },
  { name: "cost_usd", type: "double precision", value: (e) => num(agent(e)?.costUsd) },
  { name: "tool_name", type: "text", value: (e) => text(agent(e)?.toolName) },
  { name: "outcome", type: "text", value: (e) => text(agent(e)?.outcome) },
  // The client's own trace when it sent one (the agent client does), else the trace the ingest
  // published the event in, which each sink's spans join.
  {
    name: "trace_id",
    type: "text",
    value: (e) => text(agent(e)?.traceId) ?? text(e.enrichment?.traceId),
  },
  {
    name: "metadata",
    type: "jsonb",
    value: (e) => e.properties ? JSON.stringify(e.properties) : null,
  },
  {
    name: "client",
    type: "jsonb",
    value: (e) => e.client ? messageJson(ClientContextSchema, e.client) : null,
  },
  { name: "context", type: "jsonb", value: contextJson },
  {
    name: "enrichment",
    type: "jsonb",
    value: (e) => e.enrichment ? messageJson(EnrichmentSchema, e.enrichment) : null,
  },
];

/** Every column of `analytics_events`, in table order; text and JSON values free of NULs. */
export const EVENT_COLUMNS: readonly Column[] = EVENT_VALUES.map(storableColumn);

/** `column` with its string values made storable by PostgreSQL (see nul_free.ts). */
function storableColumn(column: Column): Column {
  if (column.type !== "text" && column.type !== "jsonb") return column;
  const clean = column.type === "text" ? nulFreeText : nulFreeJson;
  const raw = column.value;
  return {
    ...column,
    value: (e) => {
      const value = raw(e);
      return typeof value === "string" ? clean(value) : value;
    },
  };
}

/** Column names, quoted, comma-separated, in table order. */
export const COLUMN_LIST = EVENT_COLUMNS.map((c) => `"${c.name}"`).join(", ");

/** The row of `event`, in `EVENT_COLUMNS` order. */
export function eventRow(event: Event): ColumnValue[] {
  return EVENT_COLUMNS.map((c) => c.value(event));
}

/** Distinct UTC days (`YYYY-MM-DD`) of the events' stable event times. */
export function eventDays(events: Iterable<Event>): Set<string> {
  // Day numbers first: one division per event, one date formatted per distinct day.
  const dayNumbers = new Set<number>();
  for (const e of events) {
    if (e.timestamp) dayNumbers.add(Math.floor(Number(e.timestamp.seconds) / 86_400));
  }
  const days = new Set<string>();
  for (const day of dayNumbers) {
    days.add(new Date(day * 86_400_000).toISOString().slice(0, 10));
  }
  return days;
}
