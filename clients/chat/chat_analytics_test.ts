import assert from "node:assert/strict";
import { Channel, type Event, MessageRole } from "@analytics/schema";
import { openRecordingClient } from "../testdata/recording_ingest.ts";
import { ChatAnalytics, type ChatAnalyticsOptions } from "./chat_analytics.ts";
import { botResponseEvent } from "./chat_events.ts";

const OPTIONS: ChatAnalyticsOptions = { writeKey: "unused", platform: "slack", botName: "ShopBot" };

async function openChat(more: Partial<ChatAnalyticsOptions> = {}) {
  const ingest = await openRecordingClient(Channel.CHAT, { platform: "slack" });
  const chat = new ChatAnalytics(ingest.client, {
    ...OPTIONS,
    scheduler: ingest.scheduler,
    ...more,
  });
  return { ingest, chat };
}

const chatOf = (event: Event) => {
  assert.equal(event.context.case, "chat");
  return event.context.value!;
};

Deno.test("chat: a conversation's events share its id as session and its user; latency measured", async () => {
  const { ingest, chat } = await openChat();
  const conversation = chat.startConversation({
    conversationId: "C042-1718.2",
    userId: "U123",
    topic: "order_status",
  });
  await ingest.scheduler.advance(1_000);
  conversation.userMessage({ text: "Where is my order?", messageId: "m1" });
  await ingest.scheduler.advance(850);
  conversation.botResponse({ text: "Which order number?", intent: "ask_order_number" });
  conversation.buttonClick("order_4521", { label: "#4521" });
  conversation.botResponse({ text: "It shipped yesterday.", latencyMs: 1_200 });
  conversation.userMessage("talk to a human");
  conversation.handoff({ to: "support_tier1", reason: "user_request" });
  conversation.humanAgentMessage("Hi, this is Sam.");
  await ingest.scheduler.advance(60_000);
  conversation.end({ resolved: true, rating: 5 });
  assert.throws(() => conversation.userMessage("late"), /has ended/);
  await chat.shutdown();

  assert.deepEqual(ingest.rejected, []);
  const got = ingest.accepted;
  assert.deepEqual(got.map((e) => e.eventType), [
    "conversation_start",
    "user_message",
    "bot_response",
    "button_click",
    "bot_response",
    "user_message",
    "handoff",
    "human_agent_message",
    "conversation_end",
  ]);
  assert.deepEqual(got.map((e) => chatOf(e).messageRole), [
    MessageRole.SYSTEM,
    MessageRole.USER,
    MessageRole.BOT,
    MessageRole.USER,
    MessageRole.BOT,
    MessageRole.USER,
    MessageRole.SYSTEM,
    MessageRole.HUMAN_AGENT,
    MessageRole.SYSTEM,
  ]);
  for (const event of got) {
    assert.equal(event.channel, Channel.CHAT);
    assert.equal(event.platform, "slack");
    assert.equal(event.sessionId, "C042-1718.2");
    assert.equal(event.userId, "U123");
    assert.equal(event.resourceId, "C042-1718.2");
    assert.equal(chatOf(event).conversationId, "C042-1718.2");
    assert.equal(chatOf(event).botName, "ShopBot");
  }
  const [start, message, measured, click, given, , handoff, , end] = got;
  assert.equal(start.resourceTitle, "order_status");
  assert.equal(message.interactionText, "Where is my order?");
  assert.equal(chatOf(message).messageLength, 18);
  assert.equal(chatOf(message).messageId, "m1");
  assert.equal(chatOf(measured).responseLatencyMs, 850, "time since the user's message");
  assert.equal(measured.interactionValue, 850);
  assert.equal(measured.interactionTarget, "ask_order_number");
  assert.equal(chatOf(given).responseLatencyMs, 1_200);
  assert.equal(click.interactionTarget, "order_4521");
  assert.equal(click.interactionText, "#4521");
  assert.equal(handoff.interactionTarget, "support_tier1");
  assert.deepEqual(handoff.properties, { reason: "user_request" });
  assert.equal(end.interactionValue, 61_850, "the conversation's length");
  assert.deepEqual(end.properties, { resolved: true, rating: 5 });
});

Deno.test("chat: recordText false keeps lengths, not texts; conversations run side by side", async () => {
  const { ingest, chat } = await openChat({ recordText: false });
  const a = chat.startConversation({ userId: "U1" });
  const b = chat.startConversation({ userId: "U2" });
  a.userMessage("my card number is 4111 1111 1111 1111");
  b.userMessage("hello");
  a.botResponse("I can't see card numbers here.");
  await chat.shutdown();
  const got = ingest.accepted;
  assert.ok(got.every((e) => e.interactionText === ""));
  assert.deepEqual(got.map((e) => chatOf(e).messageLength), [0, 0, 37, 5, 30]);
  assert.notEqual(a.conversationId, b.conversationId);
  assert.deepEqual(
    got.map((e) => `${e.sessionId === a.conversationId ? "a" : "b"}:${e.userId}`),
    ["a:U1", "b:U2", "a:U1", "b:U2", "a:U1"],
  );
});

Deno.test("chat: a negative latency is refused, naming the field", () => {
  assert.throws(
    () => botResponseEvent({ conversationId: "c" }, { text: "hi", latencyMs: -1 }),
    /latencyMs must be >= 0/,
  );
});

Deno.test("chat: a resumed conversation (a webhook call) records no second start", async () => {
  const { ingest, chat } = await openChat();
  const started = ingest.scheduler.now();
  const first = chat.startConversation({ conversationId: "T1", userId: "U9" });
  first.userMessage("hi");
  await ingest.scheduler.advance(30_000);
  // A later webhook call in another handler: only the conversation id is known.
  const later = chat.conversation({ conversationId: "T1", userId: "U9", startedAtMs: started });
  assert.equal(later.started, undefined);
  later.botResponse({ text: "hello!", latencyMs: 900 });
  later.end({ resolved: true });
  await chat.shutdown();
  const got = ingest.accepted;
  assert.deepEqual(got.map((e) => e.eventType), [
    "conversation_start",
    "user_message",
    "bot_response",
    "conversation_end",
  ]);
  assert.ok(got.every((e) => e.sessionId === "T1" && e.userId === "U9"));
  assert.equal(got[2].interactionValue, 900);
  assert.equal(got[3].interactionValue, 30_000, "duration from the given start");
});
