import { deepStrictEqual as assertEquals, match, ok } from "node:assert/strict";
import { toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Channel, EventSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { validateEvent } from "./validate_event.ts";
import { sampleAgentEvent, sampleWebEvent } from "./testdata/sample_events.ts";
import { eventSizeViolation } from "./event_size.ts";

Deno.test("valid sample events pass", () => {
  assertEquals(validateEvent(sampleWebEvent(), 0), null);
  assertEquals(validateEvent(sampleAgentEvent(), 0), null);
});

Deno.test("the load generator's events of every channel pass", () => {
  const source = createEventSource({ seed: 7 });
  for (let i = 0; i < 1000; i++) {
    const event = source.next();
    assertEquals(validateEvent(event, i), null);
    assertEquals(eventSizeViolation(toBinary(EventSchema, event).byteLength, 65536, i), null);
  }
});

Deno.test("schema rules name the field under events[index]", () => {
  const cases: [Parameters<typeof sampleWebEvent>[0], string, RegExp][] = [
    [{ eventId: "42" }, "events[3].event_id", /UUID/],
    [{ sessionId: "" }, "events[3].session_id", /at least 1/],
    [{ channel: Channel.UNSPECIFIED }, "events[3].channel", /./],
    [{ channel: 99 as Channel }, "events[3].channel", /defined/],
    [{ timestamp: undefined }, "events[3].timestamp", /required/],
    [{ timestamp: timestampFromMs(Date.now() + 3 * 86400_000) }, "events[3].timestamp", /future/],
    [{ timestamp: timestampFromMs(0) }, "events[3].timestamp", /./],
    [{ interactionValue: Number.NaN }, "events[3].interaction_value", /finite/],
    [
      { context: { case: "web", value: { url: "https://x/" + "a".repeat(2100) } } },
      "events[3].web.url",
      /2048/,
    ],
    [{ client: { ip: "not-an-ip" } }, "events[3].client.ip", /IP/],
  ];
  for (const [fields, field, reason] of cases) {
    const violation = validateEvent(sampleWebEvent(fields), 3);
    assertEquals(violation?.field, field, field);
    match(violation?.reason ?? "", reason);
  }
});

Deno.test("several violations: the first is named, the others counted", () => {
  const violation = validateEvent(sampleWebEvent({ eventId: "x", sessionId: "" }), 0);
  assertEquals(violation?.field, "events[0].event_id");
  match(violation?.reason ?? "", /\(and 1 more: session_id\)$/);
});

Deno.test("properties above 256 keys are rejected", () => {
  const properties: Record<string, unknown> = Object.fromEntries(
    Array.from({ length: 257 }, (_, i) => [`k${i}`, i]),
  );
  assertEquals(
    validateEvent(sampleWebEvent({ properties: properties as never }), 1)?.field,
    "events[1].properties",
  );
  properties.k0 = "fine";
  delete properties.k256;
  assertEquals(validateEvent(sampleWebEvent({ properties: properties as never }), 1), null);
});

Deno.test("CHANNEL_CUSTOM needs custom_channel", () => {
  const custom = { channel: Channel.CUSTOM, context: { case: undefined } } as const;
  assertEquals(validateEvent(sampleWebEvent(custom), 2)?.field, "events[2].custom_channel");
  assertEquals(validateEvent(sampleWebEvent({ ...custom, customChannel: "kiosk" }), 2), null);
});

Deno.test("a typed context must belong to the event's channel", () => {
  const violation = validateEvent(sampleWebEvent({ channel: Channel.MOBILE }), 4);
  assertEquals(violation?.field, "events[4].web");
  match(violation?.reason ?? "", /web context does not belong on channel mobile/);
  assertEquals(validateEvent(sampleWebEvent({ channel: Channel.SERVER }), 4), null);
});

Deno.test("a key's channels are enforced, naming channel", () => {
  const rules = { allowedChannels: new Set([Channel.WEB, Channel.MOBILE]) };
  assertEquals(validateEvent(sampleWebEvent(), 0, rules), null);
  const violation = validateEvent(sampleAgentEvent(), 5, rules);
  assertEquals(violation?.field, "events[5].channel");
  assertEquals(
    violation?.reason,
    "the write key may not send channel agent (allowed: web, mobile)",
  );
  assertEquals(validateEvent(sampleAgentEvent(), 5, { allowedChannels: "all" }), null);
});

Deno.test("the encoded size limit names the event and the limit", () => {
  const event = sampleWebEvent({ interactionText: "x".repeat(5000) });
  const size = toBinary(EventSchema, event).byteLength;
  assertEquals(eventSizeViolation(size, size, 0), null);
  const violation = eventSizeViolation(size, size - 1, 6);
  assertEquals(violation?.field, "events[6]");
  ok(
    violation?.reason.includes(`${size} bytes`) &&
      violation.reason.includes("INGEST_MAX_EVENT_BYTES"),
  );
});
