/**
 * Chat sessions: one conversation with a support bot on one messaging platform; user messages
 * alternate with bot responses carrying their latency, sometimes handed off to a human.
 *
 * @module
 */
import {
  botResponseEvent,
  conversationEndEvent,
  conversationStartEvent,
  handoffEvent,
  userMessageEvent,
} from "@analytics/chat";
import { Channel, type Event } from "@analytics/schema";
import { type GeneratorContext, randomUuid, sessionEvent, startSession } from "./session.ts";

const PLATFORMS = ["slack", "web-widget", "whatsapp", "teams"];
const EXCHANGES = [
  ["Where is my order?", "Your order #4521 shipped yesterday and should arrive on Thursday."],
  [
    "Can I return shoes I wore once?",
    "Yes, within 30 days if they are clean. Want a return label?",
  ],
  ["yes please", "Done: the label is in your inbox. Anything else?"],
  ["Do you ship to Norway?", "We ship to Norway in 3-5 working days; customs are included."],
  ["what sizes does the city jacket come in", "The City Jacket comes in XS to XXL."],
  ["talk to a human", "Sure, I am connecting you to a colleague now."],
  ["thanks!", "You're welcome, have a good day!"],
] as const;

/** Yields the events of one chat conversation (start, 1 to 8 exchanges, end). */
export function* chatSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const session = startSession(ctx, Channel.CHAT, random.pick(PLATFORMS), 0.7);
  const conversationId = `conv_${random.hex(20)}`;
  // The event shapes are the chat client's (@analytics/chat), so the load looks like its users.
  const ref = { conversationId, botName: "ShopBot" };
  const client = { libraryName: "@analytics/chat", libraryVersion: "0.1.0", locale: "en-US" };
  const envelope = { resourceTitle: "Support chat", client };

  yield sessionEvent(ctx, session, { ...conversationStartEvent(ref), ...envelope });
  const exchanges = random.int(1, 8);
  let handedOff = false;
  for (let i = 0; i < exchanges && !handedOff; i++) {
    const [question, answer] = random.pick(EXCHANGES);
    yield sessionEvent(ctx, session, {
      ...userMessageEvent(ref, { text: question, messageId: `msg_${random.hex(12)}` }),
      ...envelope,
    });
    const latencyMs = Math.round(random.float(180, 2500));
    yield sessionEvent(ctx, session, {
      ...botResponseEvent(ref, {
        text: answer,
        latencyMs,
        messageId: `msg_${random.hex(12)}`,
        intent: question.startsWith("talk") ? "handoff" : "faq",
        properties: { answer_id: randomUuid(random) },
      }),
      ...envelope,
    });
    handedOff = question === "talk to a human";
  }
  if (handedOff) {
    yield sessionEvent(ctx, session, { ...handoffEvent(ref, { to: "human_agent" }), ...envelope });
  }
  yield sessionEvent(ctx, session, {
    ...conversationEndEvent(ref, {
      durationMs: random.int(20_000, 600_000),
      rating: random.int(1, 5),
      resolved: !handedOff,
    }),
    ...envelope,
  });
}
