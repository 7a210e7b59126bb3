import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import {
  Channel,
  ClientContextSchema,
  type Event,
  EventSchema,
  WebContextSchema,
} from "@analytics/schema";
import { uuidv7 } from "@analytics/schema";
import { channelFromName } from "../validate/channel_names.ts";

/** Fields the original API required on every event, in the order it checked them. */
export const REQUIRED_FIELDS = ["event_type", "channel", "session_id"] as const;

/** Why a legacy JSON event cannot become an Event: the JSON field and a message. */
export interface LegacyEventError {
  field: string;
  error: string;
}

/** What the request adds to a legacy event that lacks it. */
export interface LegacyDefaults {
  /** Event time for events without `timestamp`: the receive time. */
  receivedAt: Timestamp;
  /** The request's user-agent header, for events without `user_agent`. */
  userAgent?: string;
}

/**
 * Deepest nesting of objects and lists accepted in `properties` (counting `properties` itself).
 * Track's decoders stop at protobuf-es' recursion limit; this endpoint builds the Struct from
 * parsed JSON, so it sets its own bound (a 100 000-level `metadata` overflowed the validator's
 * stack and answered 500: found by fuzzing).
 */
export const MAX_PROPERTIES_DEPTH = 32;

/** Top-level keys that map to Event fields; every other key is kept in `properties`. */
const STRING_FIELDS = {
  event_id: "eventId",
  platform: "platform",
  event_type: "eventType",
  event_category: "eventCategory",
  resource_id: "resourceId",
  resource_title: "resourceTitle",
  interaction_target: "interactionTarget",
  interaction_text: "interactionText",
  session_id: "sessionId",
  user_id: "userId",
  anonymous_id: "anonymousId",
  device_id: "deviceId",
} as const;
const CLIENT_FIELDS = {
  user_agent: "userAgent",
  client_version: "clientVersion",
  locale: "locale",
  timezone: "timezone",
} as const;
const WEB_FIELDS = ["url", "page_url", "path", "referrer", "page_title"] as const;
const OTHER_KNOWN = [
  "channel",
  "custom_channel",
  "interaction_value",
  "timestamp",
  "sent_at",
  "metadata",
  "properties",
];

/**
 * Converts one event of the original product's JSON API into an Event, leniently: `null` counts
 * as absent, numbers and booleans are accepted where strings are expected, unknown top-level
 * keys and the `metadata` object go to `properties`, a channel name that is not ours becomes
 * CHANNEL_CUSTOM with `custom_channel`, `timestamp` may be ISO 8601 or epoch milliseconds (the
 * receive time when absent), and an `event_id` (UUIDv7) is made when absent. The Event still
 * goes through the same validation as any other.
 */
export function legacyEventFromJson(
  json: unknown,
  defaults: LegacyDefaults,
): { event: Event } | LegacyEventError {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { field: "", error: "Event must be a JSON object" };
  }
  const input = Object.fromEntries(
    Object.entries(json as Record<string, unknown>).filter(([, v]) =>
      v !== null && v !== undefined
    ),
  );
  for (const field of REQUIRED_FIELDS) {
    if (input[field] === undefined || input[field] === "") {
      return { field, error: `Missing required field: ${field}` };
    }
  }
  const event = create(EventSchema);
  for (const [key, name] of Object.entries(STRING_FIELDS)) {
    const value = text(input[key]);
    if (value instanceof Error) return invalid(key, value);
    if (value !== undefined) event[name] = value;
  }
  if (event.eventId === "") event.eventId = uuidv7();

  const channelName = text(input.channel)!;
  if (channelName instanceof Error) return invalid("channel", channelName);
  const channel = channelFromName(channelName);
  event.channel = channel ?? Channel.CUSTOM;
  const customChannel = text(input.custom_channel);
  if (customChannel instanceof Error) return invalid("custom_channel", customChannel);
  event.customChannel = channel === undefined ? channelName.trim() : customChannel ?? "";

  const value = input.interaction_value;
  if (value !== undefined) {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isFinite(number)) {
      return {
        field: "interaction_value",
        error: "Invalid field interaction_value: expected a number",
      };
    }
    event.interactionValue = number;
  }

  for (const key of ["timestamp", "sent_at"] as const) {
    if (input[key] === undefined) continue;
    const time = timeOf(input[key]);
    if (time === undefined) {
      return {
        field: key,
        error: `Invalid field ${key}: expected an ISO 8601 string or epoch milliseconds`,
      };
    }
    if (key === "timestamp") event.timestamp = time;
    else event.sentAt = time;
  }
  event.timestamp ??= defaults.receivedAt;

  const client: Record<string, string> = {};
  for (const [key, name] of Object.entries(CLIENT_FIELDS)) {
    const value = text(input[key]);
    if (value instanceof Error) return invalid(key, value);
    if (value !== undefined) client[name] = value;
  }
  client.userAgent ??= defaults.userAgent ?? "";
  event.client = create(ClientContextSchema, client);

  if (event.channel === Channel.WEB) {
    const web: Record<string, string> = {};
    for (const key of WEB_FIELDS) {
      const value = text(input[key]);
      if (value instanceof Error) return invalid(key, value);
      if (value !== undefined) web[key] = value;
    }
    const url = web.url ?? web.page_url ??
      (/^https?:\/\//i.test(event.resourceId) ? event.resourceId : "");
    let path = web.path ?? "";
    if (path === "" && url !== "") {
      try {
        path = new URL(url).pathname;
      } catch {
        path = "";
      }
    }
    event.context = {
      case: "web",
      value: create(WebContextSchema, {
        url,
        path,
        referrer: web.referrer ?? "",
        pageTitle: web.page_title ?? event.resourceTitle,
      }),
    };
  }

  const properties = propertiesOf(input, event.channel === Channel.WEB);
  const tooDeep = Object.entries(properties).find(([, v]) =>
    deeperThan(v, MAX_PROPERTIES_DEPTH - 1)
  );
  if (tooDeep) {
    const key = tooDeep[0] in input ? tooDeep[0] : "metadata";
    return {
      field: key,
      error: `Invalid field ${key}: nested deeper than ${MAX_PROPERTIES_DEPTH} levels of objects ` +
        "and lists",
    };
  }
  if (Object.keys(properties).length > 0) event.properties = properties;
  return { event };
}

function propertiesOf(input: Record<string, unknown>, webKeysUsed: boolean): JsonObject {
  const properties: JsonObject = {};
  for (const key of ["metadata", "properties"]) {
    let value = input[key];
    if (typeof value === "string" && value.trim().startsWith("{")) {
      try {
        value = JSON.parse(value);
      } catch {
        // Not JSON after all: kept as the string it is, below.
      }
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      Object.assign(properties, value);
    } else if (value !== undefined) {
      properties[key] = value as JsonValue;
    }
  }
  for (const [key, value] of Object.entries(input)) {
    const known = key in STRING_FIELDS || key in CLIENT_FIELDS || OTHER_KNOWN.includes(key) ||
      (webKeysUsed && (WEB_FIELDS as readonly string[]).includes(key));
    if (!known) properties[key] = value as JsonValue;
  }
  return properties;
}

/** Whether a JSON value nests objects and lists more than `max` levels, without recursion. */
function deeperThan(value: JsonValue, max: number): boolean {
  const stack: [JsonValue, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function text(value: unknown): string | undefined | Error {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return new Error("expected a string");
}

function invalid(field: string, error: Error): LegacyEventError {
  return { field, error: `Invalid field ${field}: ${error.message}` };
}

function timeOf(value: unknown): Timestamp | undefined {
  let ms: number;
  if (typeof value === "number") {
    ms = value;
  } else if (typeof value === "string" && /^\d+$/.test(value.trim())) {
    ms = Number(value.trim());
  } else if (typeof value === "string") {
    ms = Date.parse(value);
  } else {
    return undefined;
  }
  // Beyond ±8.64e15 ms no Date exists and timestampFromMs throws (1e300 answered 500: fuzzing).
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    ? timestampFromMs(Math.trunc(ms))
    : undefined;
}
