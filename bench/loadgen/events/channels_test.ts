import assert from "node:assert/strict";
import { createValidator } from "@bufbuild/protovalidate";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Channel, type Event, EventSchema, uuidv7Time } from "@analytics/schema";
import { CHANNEL_NAMES, type ChannelName, parseChannels, SESSION_GENERATORS } from "./channels.ts";
import { createRandom } from "./random.ts";

const validator = createValidator();

const EXPECTED: Record<ChannelName, { channel: Channel; context: string }> = {
  web: { channel: Channel.WEB, context: "web" },
  mobile: { channel: Channel.MOBILE, context: "mobile" },
  chat: { channel: Channel.CHAT, context: "chat" },
  speech: { channel: Channel.SPEECH, context: "speech" },
  agent: { channel: Channel.AGENT, context: "agent" },
};

function sessions(name: ChannelName, count: number, seed: number): Event[][] {
  const ctx = { random: createRandom(seed), now: Date.now };
  return Array.from({ length: count }, () => [...SESSION_GENERATORS[name](ctx)]);
}

for (const name of CHANNEL_NAMES) {
  Deno.test(`${name} sessions: every event passes protovalidate`, () => {
    for (const session of sessions(name, 40, 7)) {
      for (const event of session) {
        const result = validator.validate(EventSchema, event);
        assert.equal(
          result.kind,
          "valid",
          `${event.eventType}: ${result.kind === "invalid" ? result.error.message : result.kind}`,
        );
      }
    }
  });

  Deno.test(`${name} sessions: channel, context and platform are set on every event`, () => {
    for (const session of sessions(name, 20, 11)) {
      for (const event of session) {
        assert.equal(event.channel, EXPECTED[name].channel);
        assert.equal(event.context.case, EXPECTED[name].context);
        assert.notEqual(event.platform, "");
        assert.notEqual(event.eventType, "");
        assert.ok(event.client, "client context set");
      }
    }
  });

  Deno.test(`${name} sessions: ids are reused within a session and fresh across sessions`, () => {
    const all = sessions(name, 30, 13);
    const sessionIds = new Set<string>();
    const eventIds = new Set<string>();
    for (const session of all) {
      assert.ok(session.length >= 2, "a session has several events");
      const [first] = session;
      sessionIds.add(first.sessionId);
      let last = 0;
      for (const event of session) {
        assert.equal(event.sessionId, first.sessionId);
        assert.equal(event.userId, first.userId);
        assert.equal(event.anonymousId, first.anonymousId);
        assert.equal(event.deviceId, first.deviceId);
        assert.equal(event.platform, first.platform);
        const time = timestampMs(event.timestamp!);
        assert.ok(time > last, "event times increase within a session");
        last = time;
        const idTime = uuidv7Time(event.eventId);
        assert.ok(idTime !== undefined, `${event.eventId} is a UUIDv7`);
        assert.ok(Math.abs(idTime - time) < 5_000, "the UUIDv7 was made at the event time");
        assert.ok(!eventIds.has(event.eventId), "event ids are unique");
        eventIds.add(event.eventId);
      }
    }
    assert.equal(sessionIds.size, all.length);
  });
}

Deno.test("chat: each bot response follows a user message and carries its latency", () => {
  for (const session of sessions("chat", 20, 3)) {
    const conversation = session[0].context.case === "chat" ? session[0].context.value : undefined;
    assert.ok(conversation);
    session.forEach((event, i) => {
      assert.equal(event.context.case, "chat");
      if (event.context.case !== "chat") return;
      assert.equal(event.context.value.conversationId, conversation.conversationId);
      if (event.eventType === "bot_response") {
        assert.equal(session[i - 1].eventType, "user_message");
        assert.ok(event.context.value.responseLatencyMs > 0);
      }
    });
  }
});

Deno.test("agent: model calls carry gen_ai tokens and cost; one trace per task", () => {
  let calls = 0;
  for (const session of sessions("agent", 20, 5)) {
    const traces = new Set<string>();
    for (const event of session) {
      if (event.context.case !== "agent") throw new Error("agent context expected");
      const agent = event.context.value;
      traces.add(agent.traceId);
      if (event.eventType === "model_call") {
        calls++;
        assert.equal(agent.operationName, "chat");
        assert.ok(agent.inputTokens > 0n && agent.outputTokens > 0n);
        assert.ok(agent.costUsd > 0);
        assert.notEqual(agent.requestModel, "");
      }
      if (event.eventType === "tool_execution") assert.notEqual(agent.toolName, "");
    }
    assert.equal(traces.size, 1);
    assert.equal(session.at(-1)?.eventType, "task_end");
  }
  assert.ok(calls > 0);
});

Deno.test("web: landing pages from campaigns carry UTM parameters in the URL", () => {
  let campaigns = 0;
  for (const session of sessions("web", 60, 17)) {
    const first = session[0];
    assert.equal(first.eventType, "page_view");
    if (first.context.case === "web" && first.context.value.url.includes("utm_source=")) {
      campaigns++;
    }
  }
  assert.ok(campaigns > 0);
});

Deno.test("parseChannels: accepts lists and all, names an unknown channel", () => {
  assert.deepEqual(parseChannels("all"), [...CHANNEL_NAMES]);
  assert.deepEqual(parseChannels("web, chat,web"), ["web", "chat"]);
  assert.throws(() => parseChannels("web,fax"), /unknown channel "fax"/);
});
