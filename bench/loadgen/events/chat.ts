/**
 * Chat sessions: one conversation with a support bot on one messaging platform; user messages
 * alternate with bot responses carrying their latency, sometimes handed off to a human.
 *
 * @module
 */
import { Channel, type Event, MessageRole } from "@analytics/schema";
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
  const botName = "ShopBot";
  const client = { libraryName: "@analytics/chat", libraryVersion: "0.1.0", locale: "en-US" };
  const chat = (role: MessageRole, messageId: string, length: number, latencyMs = 0) => ({
    case: "chat" as const,
    value: {
      conversationId,
      messageId,
      messageRole: role,
      messageLength: length,
      responseLatencyMs: latencyMs,
      botName,
    },
  });
  const envelope = { resourceId: conversationId, resourceTitle: "Support chat", client };

  yield sessionEvent(ctx, session, {
    ...envelope,
    eventType: "conversation_start",
    eventCategory: "session",
    context: chat(MessageRole.SYSTEM, "", 0),
  });
  const exchanges = random.int(1, 8);
  let handedOff = false;
  for (let i = 0; i < exchanges && !handedOff; i++) {
    const [question, answer] = random.pick(EXCHANGES);
    yield sessionEvent(ctx, session, {
      ...envelope,
      eventType: "user_message",
      eventCategory: "interaction",
      interactionText: question,
      context: chat(MessageRole.USER, `msg_${random.hex(12)}`, question.length),
    });
    const latencyMs = Math.round(random.float(180, 2500));
    yield sessionEvent(ctx, session, {
      ...envelope,
      eventType: "bot_response",
      eventCategory: "interaction",
      interactionText: answer,
      interactionValue: latencyMs,
      context: chat(MessageRole.BOT, `msg_${random.hex(12)}`, answer.length, latencyMs),
      properties: {
        intent: question.startsWith("talk") ? "handoff" : "faq",
        answer_id: randomUuid(random),
      },
    });
    handedOff = question === "talk to a human";
  }
  if (handedOff) {
    yield sessionEvent(ctx, session, {
      ...envelope,
      eventType: "handoff",
      eventCategory: "system",
      interactionTarget: "human_agent",
      context: chat(MessageRole.SYSTEM, "", 0),
    });
  }
  yield sessionEvent(ctx, session, {
    ...envelope,
    eventType: "conversation_end",
    eventCategory: "session",
    interactionValue: random.int(1, 5),
    properties: { rating: random.int(1, 5), resolved: !handedOff },
    context: chat(MessageRole.SYSTEM, "", 0),
  });
}
