import { Channel, type Event, EventSchema, MessageRole } from "@analytics/schema";
import { plainOf } from "./plain_json.ts";
import type { Timestamp } from "@bufbuild/protobuf/wkt";

/** Delta primitive types the lake uses. */
export type DeltaType = "string" | "long" | "integer" | "double" | "boolean" | "timestamp" | "date";

/** A value in a row: timestamps as microseconds since the epoch (UTC), dates as "YYYY-MM-DD". */
export type CellValue = string | number | boolean | null;

/** One column of the lake table and how to read it from an event. */
export interface Column {
  name: string;
  type: DeltaType;
  value(event: Event): CellValue;
}

/** Name of the partition column: the UTC date of `event_time`. */
export const PARTITION_COLUMN = "event_date";

/** Microseconds since the epoch of a protobuf timestamp. */
export function timestampMicros(ts: Timestamp): number {
  return Number(ts.seconds) * 1_000_000 + Math.floor(ts.nanos / 1000);
}

/** UTC calendar date ("YYYY-MM-DD") of a time in microseconds. */
export function utcDate(micros: number): string {
  // Formatting a Date costs about a microsecond and every row of a batch asks: remember the days.
  const day = Math.floor(micros / MICROS_PER_DAY);
  let date = recentDates.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (recentDates.size >= 1024) recentDates.clear();
    recentDates.set(day, date);
  }
  return date;
}
const MICROS_PER_DAY = 86_400_000_000;
const recentDates = new Map<number, string>();

const micros = (ts: Timestamp | undefined): number | null =>
  ts === undefined ? null : timestampMicros(ts);
const text = (value: string | undefined): string | null =>
  value === undefined || value === "" ? null : value;
const num = (value: number | undefined): number | null =>
  value === undefined || value === 0 ? null : value;
const big = (value: bigint | undefined): number | null =>
  value === undefined || value === 0n ? null : Number(value);

/** Lower-case channel name ("web", "mobile", …), or the custom channel's own name. */
function channelName(event: Event): string | null {
  if (event.channel === Channel.CUSTOM && event.customChannel !== "") return event.customChannel;
  const name = Channel[event.channel];
  return name === undefined || event.channel === Channel.UNSPECIFIED ? null : name.toLowerCase();
}

const web = (e: Event) => (e.context.case === "web" ? e.context.value : undefined);
const mobile = (e: Event) => (e.context.case === "mobile" ? e.context.value : undefined);
const chat = (e: Event) => (e.context.case === "chat" ? e.context.value : undefined);
const speech = (e: Event) => (e.context.case === "speech" ? e.context.value : undefined);
const agent = (e: Event) => (e.context.case === "agent" ? e.context.value : undefined);

/** Stable event time (the client's timestamp): part of the dedup key and the partition. */
export function eventTimeMicros(event: Event): number {
  if (event.timestamp === undefined) throw new Error("event has no timestamp");
  return timestampMicros(event.timestamp);
}

/**
 * Every column of `analytics_events` in the lake, in order: the hot table's columns (the
 * original product's, ours, and the channel-context columns dashboards group by), the whole
 * channel context and the properties as JSON strings, and the partition column last.
 */
export const EVENT_COLUMNS: readonly Column[] = [
  { name: "event_id", type: "string", value: (e) => e.eventId },
  { name: "event_time", type: "timestamp", value: (e) => eventTimeMicros(e) },
  {
    name: "timestamp",
    type: "timestamp",
    value: (e) => micros(e.enrichment?.correctedTime) ?? eventTimeMicros(e),
  },
  { name: "received_at", type: "timestamp", value: (e) => micros(e.enrichment?.receivedAt) },
  { name: "sent_at", type: "timestamp", value: (e) => micros(e.sentAt) },
  { name: "channel", type: "string", value: channelName },
  { name: "platform", type: "string", value: (e) => text(e.platform) },
  { name: "event_type", type: "string", value: (e) => text(e.eventType) },
  { name: "event_category", type: "string", value: (e) => text(e.eventCategory) },
  { name: "resource_id", type: "string", value: (e) => text(e.resourceId) },
  { name: "resource_title", type: "string", value: (e) => text(e.resourceTitle) },
  { name: "interaction_target", type: "string", value: (e) => text(e.interactionTarget) },
  { name: "interaction_value", type: "double", value: (e) => e.interactionValue ?? null },
  { name: "interaction_text", type: "string", value: (e) => text(e.interactionText) },
  { name: "session_id", type: "string", value: (e) => text(e.sessionId) },
  { name: "user_id", type: "string", value: (e) => text(e.userId) },
  { name: "anonymous_id", type: "string", value: (e) => text(e.anonymousId) },
  { name: "device_id", type: "string", value: (e) => text(e.deviceId) },
  { name: "user_agent", type: "string", value: (e) => text(e.client?.userAgent) },
  { name: "client_version", type: "string", value: (e) => text(e.client?.clientVersion) },
  { name: "library_name", type: "string", value: (e) => text(e.client?.libraryName) },
  { name: "library_version", type: "string", value: (e) => text(e.client?.libraryVersion) },
  { name: "locale", type: "string", value: (e) => text(e.client?.locale) },
  { name: "timezone", type: "string", value: (e) => text(e.client?.timezone) },
  { name: "source", type: "string", value: (e) => text(e.enrichment?.source) },
  { name: "ip", type: "string", value: (e) => text(e.enrichment?.ip) },
  { name: "is_bot", type: "boolean", value: (e) => e.enrichment?.isBot ?? null },
  {
    name: "browser_name",
    type: "string",
    value: (e) => text(e.enrichment?.userAgent?.browserName),
  },
  {
    name: "os_name",
    type: "string",
    value: (e) => text(e.enrichment?.userAgent?.osName) ?? text(mobile(e)?.osName),
  },
  {
    name: "device_type",
    type: "string",
    value: (e) => text(e.enrichment?.userAgent?.deviceType),
  },
  { name: "schema", type: "string", value: (e) => text(e.enrichment?.schema) },
  { name: "ingest_version", type: "string", value: (e) => text(e.enrichment?.ingestVersion) },
  { name: "page_url", type: "string", value: (e) => text(web(e)?.url) },
  { name: "page_path", type: "string", value: (e) => text(web(e)?.path) },
  { name: "page_title", type: "string", value: (e) => text(web(e)?.pageTitle) },
  { name: "referrer", type: "string", value: (e) => text(web(e)?.referrer) },
  { name: "utm_source", type: "string", value: (e) => text(web(e)?.utm?.source) },
  { name: "utm_medium", type: "string", value: (e) => text(web(e)?.utm?.medium) },
  { name: "utm_campaign", type: "string", value: (e) => text(web(e)?.utm?.campaign) },
  { name: "utm_term", type: "string", value: (e) => text(web(e)?.utm?.term) },
  { name: "utm_content", type: "string", value: (e) => text(web(e)?.utm?.content) },
  { name: "screen_width", type: "integer", value: (e) => num(web(e)?.screenWidth) },
  { name: "screen_height", type: "integer", value: (e) => num(web(e)?.screenHeight) },
  { name: "screen_name", type: "string", value: (e) => text(mobile(e)?.screenName) },
  { name: "app_version", type: "string", value: (e) => text(mobile(e)?.appVersion) },
  { name: "os_version", type: "string", value: (e) => text(mobile(e)?.osVersion) },
  { name: "device_model", type: "string", value: (e) => text(mobile(e)?.deviceModel) },
  {
    name: "conversation_id",
    type: "string",
    value: (e) => text(chat(e)?.conversationId) ?? text(agent(e)?.conversationId),
  },
  {
    name: "message_role",
    type: "string",
    value: (e) => {
      const role = chat(e)?.messageRole;
      return role === undefined || role === MessageRole.UNSPECIFIED
        ? null
        : MessageRole[role].toLowerCase();
    },
  },
  {
    name: "response_latency_ms",
    type: "double",
    value: (e) => num(chat(e)?.responseLatencyMs) ?? num(speech(e)?.responseLatencyMs),
  },
  { name: "intent", type: "string", value: (e) => text(speech(e)?.intent) },
  { name: "confidence", type: "double", value: (e) => num(speech(e)?.confidence) },
  {
    name: "model",
    type: "string",
    value: (e) => text(agent(e)?.responseModel) ?? text(agent(e)?.requestModel),
  },
  { name: "provider", type: "string", value: (e) => text(agent(e)?.providerName) },
  { name: "operation", type: "string", value: (e) => text(agent(e)?.operationName) },
  { name: "input_tokens", type: "long", value: (e) => big(agent(e)?.inputTokens) },
  { name: "output_tokens", type: "long", value: (e) => big(agent(e)?.outputTokens) },
  { name: "cost_usd", type: "double", value: (e) => num(agent(e)?.costUsd) },
  { name: "tool_name", type: "string", value: (e) => text(agent(e)?.toolName) },
  { name: "outcome", type: "string", value: (e) => text(agent(e)?.outcome) },
  { name: "duration_ms", type: "double", value: (e) => num(agent(e)?.durationMs) },
  {
    name: "time_to_first_token_ms",
    type: "double",
    value: (e) => num(agent(e)?.timeToFirstTokenMs),
  },
  {
    name: "context",
    type: "string",
    value: (e) => (e.context.case === undefined ? null : contextJson(e)),
  },
  {
    name: "properties",
    type: "string",
    value: (e) =>
      e.properties === undefined || Object.keys(e.properties).length === 0
        ? null
        : JSON.stringify(e.properties),
  },
  { name: PARTITION_COLUMN, type: "date", value: (e) => utcDate(eventTimeMicros(e)) },
];

/** Per channel-context case, the plain form of its message type. */
const CONTEXT_PLAIN = new Map(
  EventSchema.fields.flatMap((f) =>
    f.oneof?.name === "context" && f.fieldKind === "message"
      ? [[f.localName, plainOf(f.message)] as const]
      : []
  ),
);

/** The channel context as a JSON object string: `{"web": {...}}`, 64-bit numbers as strings. */
function contextJson(event: Event): string {
  const plain = CONTEXT_PLAIN.get(event.context.case as string)!;
  return JSON.stringify({ [event.context.case as string]: plain(event.context.value) });
}
