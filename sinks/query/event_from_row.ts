/** Rebuilds an `Event` from a row of `analytics_events`: scalar columns plus the JSONB parts. */
import { fromJson, type JsonObject } from "@bufbuild/protobuf";
import { Channel, type Event, EventSchema } from "@analytics/schema";

/** The columns `EVENT_SELECT` reads, timestamps as ISO 8601 text. */
export interface EventRow {
  event_id: string;
  event_time: string;
  sent_at: string | null;
  channel: string;
  custom_channel: string | null;
  platform: string | null;
  event_type: string;
  event_category: string | null;
  resource_id: string | null;
  resource_title: string | null;
  interaction_target: string | null;
  interaction_value: number | null;
  interaction_text: string | null;
  session_id: string;
  user_id: string | null;
  anonymous_id: string | null;
  device_id: string | null;
  metadata: JsonObject | string | null;
  client: JsonObject | string | null;
  context: JsonObject | string | null;
  enrichment: JsonObject | string | null;
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${column}`;

/** The select list that `eventFromRow` reads. */
export const EVENT_SELECT = [
  "event_id::text AS event_id",
  iso("event_time"),
  iso("sent_at"),
  "channel, custom_channel, platform, event_type, event_category, resource_id",
  "resource_title, interaction_target, interaction_value, interaction_text, session_id",
  "user_id, anonymous_id, device_id, metadata, client, context, enrichment",
].join(", ");

/** The enum value of a stored channel name ("web" → CHANNEL_WEB). */
export function channelFromName(name: string): Channel {
  const value = Channel[name.toUpperCase() as keyof typeof Channel];
  return typeof value === "number" ? value : Channel.UNSPECIFIED;
}

const json = (value: JsonObject | string | null): JsonObject | undefined =>
  value === null ? undefined : typeof value === "string" ? JSON.parse(value) : value;

/** The event a row holds, with its channel context, client, enrichment and properties. */
export function eventFromRow(row: EventRow): Event {
  const parts: Record<string, unknown> = {
    ...json(row.context),
    client: json(row.client),
    enrichment: json(row.enrichment),
    properties: json(row.metadata),
    timestamp: row.event_time,
    sentAt: row.sent_at ?? undefined,
  };
  const defined = Object.entries(parts).filter(([, v]) => v !== undefined);
  const event = fromJson(EventSchema, Object.fromEntries(defined) as JsonObject);
  event.eventId = row.event_id;
  event.channel = channelFromName(row.channel);
  event.customChannel = row.custom_channel ?? "";
  event.platform = row.platform ?? "";
  event.eventType = row.event_type;
  event.eventCategory = row.event_category ?? "";
  event.resourceId = row.resource_id ?? "";
  event.resourceTitle = row.resource_title ?? "";
  event.interactionTarget = row.interaction_target ?? "";
  event.interactionValue = row.interaction_value ?? undefined;
  event.interactionText = row.interaction_text ?? "";
  event.sessionId = row.session_id;
  event.userId = row.user_id ?? "";
  event.anonymousId = row.anonymous_id ?? "";
  event.deviceId = row.device_id ?? "";
  return event;
}
