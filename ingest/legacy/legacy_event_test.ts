import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Channel, type Event } from "@analytics/schema";
import { uuidv7Time } from "@analytics/schema";
import { validateEvent } from "../validate/validate_event.ts";
import { legacyEventFromJson, MAX_PROPERTIES_DEPTH } from "./legacy_event.ts";

const defaults = {
  receivedAt: timestampFromMs(1_750_000_000_000),
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
};

function convert(json: unknown): Event {
  const result = legacyEventFromJson(json, defaults);
  if (!("event" in result)) throw new Error(result.error);
  return result.event;
}

Deno.test("the original demo site's event maps field by field", () => {
  const event = convert({
    event_type: "button_click",
    channel: "web",
    platform: "browser",
    event_category: "interaction",
    resource_id: "https://demo.example/page2.html?utm_source=ads",
    resource_title: "Page 2",
    interaction_target: "cta-button",
    interaction_value: "3",
    session_id: "sess-1",
    user_id: null,
    device_id: "dev-1",
    client_version: "1.0.0",
    timestamp: "2025-06-15T12:00:00.000Z",
    metadata: { button_color: "blue", nested: { a: [1, null] } },
    screen: "1920x1080",
  });
  assertEquals(event.channel, Channel.WEB);
  assertEquals(
    [
      event.eventType,
      event.eventCategory,
      event.resourceId,
      event.resourceTitle,
      event.interactionTarget,
    ],
    [
      "button_click",
      "interaction",
      "https://demo.example/page2.html?utm_source=ads",
      "Page 2",
      "cta-button",
    ],
  );
  assertEquals([event.interactionValue, event.sessionId, event.userId, event.deviceId], [
    3,
    "sess-1",
    "",
    "dev-1",
  ]);
  assertEquals(timestampMs(event.timestamp!), Date.parse("2025-06-15T12:00:00.000Z"));
  assertEquals(event.client?.clientVersion, "1.0.0");
  assertEquals(
    event.client?.userAgent,
    defaults.userAgent,
    "user agent from the header when absent",
  );
  assertEquals(event.properties, {
    button_color: "blue",
    nested: { a: [1, null] },
    screen: "1920x1080",
  });
  assertEquals(event.context.case, "web");
  assertEquals(
    event.context.value?.$typeName === "analytics.v1.WebContext" && event.context.value.path,
    "/page2.html",
  );
  ok(uuidv7Time(event.eventId), "an event_id is made");
  assertEquals(validateEvent(event, 0), null);
});

Deno.test("timestamp as epoch ms (number or digits), absent → receive time; event_id kept", () => {
  const id = "0190a0f6-2c1e-7a3b-9d2e-5f6a7b8c9d0e";
  const base = { event_type: "x", channel: "chat", session_id: "s", event_id: id };
  assertEquals(
    timestampMs(convert({ ...base, timestamp: 1_700_000_000_123 }).timestamp!),
    1_700_000_000_123,
  );
  assertEquals(
    timestampMs(convert({ ...base, timestamp: "1700000000123" }).timestamp!),
    1_700_000_000_123,
  );
  assertEquals(convert({ ...base, timestamp: null }).timestamp, defaults.receivedAt);
  assertEquals(convert(base).eventId, id);
});

Deno.test("a channel that is not ours becomes CHANNEL_CUSTOM naming it", () => {
  const event = convert({ event_type: "x", channel: "Kiosk", session_id: "s" });
  assertEquals([event.channel, event.customChannel], [Channel.CUSTOM, "Kiosk"]);
  assertEquals(validateEvent(event, 0), null);
  assertEquals(
    convert({ event_type: "x", channel: "SPEECH", session_id: "s" }).channel,
    Channel.SPEECH,
  );
});

Deno.test("metadata as a JSON string is parsed; other metadata is kept as it is", () => {
  const base = { event_type: "x", channel: "agent", session_id: "s" };
  assertEquals(convert({ ...base, metadata: '{"tokens": 12}' }).properties, { tokens: 12 });
  assertEquals(convert({ ...base, metadata: "plain" }).properties, { metadata: "plain" });
  assertEquals(convert(base).properties, undefined);
});

Deno.test("missing or empty required fields are named, in the original's order", () => {
  assertEquals(legacyEventFromJson({ channel: "web" }, defaults), {
    field: "event_type",
    error: "Missing required field: event_type",
  });
  assertEquals(legacyEventFromJson({ event_type: "x", channel: "web", session_id: "" }, defaults), {
    field: "session_id",
    error: "Missing required field: session_id",
  });
  assertEquals(legacyEventFromJson({ event_type: "x", channel: null, session_id: "s" }, defaults), {
    field: "channel",
    error: "Missing required field: channel",
  });
});

Deno.test("wrong types are named", () => {
  const base = { event_type: "x", channel: "web", session_id: "s" };
  const cases: [Record<string, unknown>, string][] = [
    [{ ...base, timestamp: "yesterday" }, "timestamp"],
    [{ ...base, timestamp: { at: 1 } }, "timestamp"],
    [{ ...base, interaction_value: "many" }, "interaction_value"],
    [{ ...base, user_id: { id: 1 } }, "user_id"],
    [{ ...base, session_id: ["s"] }, "session_id"],
  ];
  for (const [json, field] of cases) {
    const result = legacyEventFromJson(json, defaults);
    ok(!("event" in result), field);
    assertEquals(result.field, field);
    ok(result.error.startsWith(`Invalid field ${field}`), result.error);
  }
  assertEquals(legacyEventFromJson([1], defaults), {
    field: "",
    error: "Event must be a JSON object",
  });
});

Deno.test("properties nested past the limit are refused naming the key, at any depth", () => {
  const nest = (depth: number) => JSON.parse('{"a":'.repeat(depth) + "1" + "}".repeat(depth));
  const base = { event_type: "click", channel: "web", session_id: "s" };
  // `properties` itself is the first level, so a value may nest MAX_PROPERTIES_DEPTH - 1 more.
  const deepest = convert({ ...base, metadata: { m: nest(MAX_PROPERTIES_DEPTH - 1) } });
  assertEquals(validateEvent(deepest, 0), null);
  for (const depth of [MAX_PROPERTIES_DEPTH, 100_000]) {
    assertEquals(legacyEventFromJson({ ...base, metadata: { m: nest(depth) } }, defaults), {
      field: "metadata",
      error: `Invalid field metadata: nested deeper than ${MAX_PROPERTIES_DEPTH} levels of ` +
        "objects and lists",
    });
  }
  const unknownKey = legacyEventFromJson({ ...base, extra: nest(50) }, defaults);
  assertEquals("field" in unknownKey && unknownKey.field, "extra");
});
