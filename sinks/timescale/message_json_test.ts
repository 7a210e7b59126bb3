import assert from "node:assert/strict";
import { create, toJson } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  AgentContextSchema,
  ChatContextSchema,
  EventSchema,
  MessageRole,
  SpeechContextSchema,
} from "@analytics/schema";
import { sampleEvents } from "../testing/sample_events.ts";
import { messageJson, timestampWriter } from "./message_json.ts";

Deno.test("messageJson gives toJson's JSON value for every sample event", () => {
  const channels = new Set<string>();
  for (const event of sampleEvents(500, { seed: 3 })) {
    channels.add(event.context.case ?? "none");
    assert.deepEqual(
      JSON.parse(messageJson(EventSchema, event)),
      toJson(EventSchema, event),
      event.eventId,
    );
  }
  assert.deepEqual([...channels].sort(), ["agent", "chat", "mobile", "speech", "web"]);
});

Deno.test("messageJson writes edge values as protobuf JSON does", () => {
  const event = create(EventSchema, {
    eventId: "0192f5e4-8a1b-7cc0-9c1e-5f3a2b1c0d9e",
    eventType: 'quote " backslash \\ tab \t nul \u0000 emoji 😀',
    interactionValue: 0, // explicit presence: written although zero
    timestamp: { seconds: 1_700_000_000n, nanos: 120_000_000 },
    sentAt: { seconds: 1_700_000_000n, nanos: 123_456_789 },
    properties: { nested: { list: [1, "two", null, true] }, "": "empty key" },
    context: {
      case: "agent",
      value: create(AgentContextSchema, {
        inputTokens: 18_446_744_073_709_551_615n,
        costUsd: -0.5,
      }),
    },
  });
  assert.deepEqual(JSON.parse(messageJson(EventSchema, event)), toJson(EventSchema, event));
  const chat = create(ChatContextSchema, { messageRole: MessageRole.USER });
  assert.deepEqual(
    JSON.parse(messageJson(ChatContextSchema, chat)),
    toJson(ChatContextSchema, chat),
  );
  const speech = create(SpeechContextSchema, { slots: { city: "Paris", 'a"b': "c" } });
  assert.deepEqual(
    JSON.parse(messageJson(SpeechContextSchema, speech)),
    toJson(SpeechContextSchema, speech),
  );
  const role = create(ChatContextSchema, { messageRole: 99 as MessageRole });
  assert.deepEqual(JSON.parse(messageJson(ChatContextSchema, role)), { messageRole: 99 });
});

Deno.test("timestampWriter writes 0, 3, 6 or 9 fraction digits like toJson", () => {
  const timestampText = timestampWriter();
  for (const nanos of [0, 1, 1_000, 999_000, 1_000_000, 120_000_000, 999_999_999]) {
    for (const seconds of [0n, 1_700_000_000n, 1_700_000_001n, 253_402_300_799n]) {
      const ts = { ...timestampFromMs(0), seconds, nanos };
      assert.equal(
        `"${timestampText(ts)}"`,
        JSON.stringify(toJson(EventSchema, create(EventSchema, { timestamp: ts })).timestamp),
      );
    }
  }
});
