/**
 * The events of a conversation with a chat bot, as event fields: its start and end, user
 * messages, bot responses with their latency, button clicks, the hand-off to a human and the
 * human agent's messages; each with the chat context (conversation, message, role, length).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { EventInit } from "@analytics/client-core";
import { type ChatContext, ChatContextSchema, MessageRole } from "@analytics/schema";

/** Free-form attributes of an event (JSON values). */
export type Properties = Record<string, unknown>;

/** What every event of one conversation shares. */
export interface ConversationRef {
  /** The platform's conversation or thread id. */
  conversationId: string;
  /** Name of the bot or assistant. */
  botName?: string;
  /** Whether message texts are recorded (`interaction_text`); lengths always are. */
  recordText?: boolean;
}

type ChatFields = Partial<Omit<ChatContext, "$typeName" | "$unknown">>;

function chat(ref: ConversationRef, fields: ChatFields): EventInit["context"] {
  return {
    case: "chat",
    value: create(ChatContextSchema, {
      conversationId: ref.conversationId,
      botName: ref.botName ?? "",
      ...fields,
    }),
  };
}

function envelope(ref: ConversationRef, properties?: Properties) {
  return { resourceId: ref.conversationId, properties: properties as EventInit["properties"] };
}

const text = (ref: ConversationRef, value: string) => ref.recordText === false ? "" : value;

/** The fields of conversation_start; `topic` (e.g. "order_status") becomes the title. */
export function conversationStartEvent(
  ref: ConversationRef,
  start: { topic?: string; properties?: Properties } = {},
): EventInit {
  return {
    ...envelope(ref, start.properties),
    eventType: "conversation_start",
    eventCategory: "session",
    resourceTitle: start.topic ?? "",
    context: chat(ref, { messageRole: MessageRole.SYSTEM }),
  };
}

/** A message in the conversation. */
export interface ChatMessage {
  /** The message text (its length is always recorded). */
  text: string;
  /** The platform's message id. */
  messageId?: string;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The fields of user_message. */
export function userMessageEvent(ref: ConversationRef, message: ChatMessage): EventInit {
  return {
    ...envelope(ref, message.properties),
    eventType: "user_message",
    eventCategory: "interaction",
    interactionText: text(ref, message.text),
    context: chat(ref, {
      messageId: message.messageId ?? "",
      messageRole: MessageRole.USER,
      messageLength: message.text.length,
    }),
  };
}

/** A bot's answer: its latency is the time from the user's message to this answer. */
export interface BotResponse extends ChatMessage {
  /** Time from the user's message to this answer, in ms. */
  latencyMs: number;
  /** The intent or answer the bot chose, e.g. "order_status". */
  intent?: string;
}

/** The fields of bot_response (interaction value: the latency in ms). */
export function botResponseEvent(ref: ConversationRef, response: BotResponse): EventInit {
  if (!(response.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be >= 0, got ${response.latencyMs}`);
  }
  return {
    ...envelope(ref, response.properties),
    eventType: "bot_response",
    eventCategory: "interaction",
    interactionText: text(ref, response.text),
    interactionTarget: response.intent ?? "",
    interactionValue: response.latencyMs,
    context: chat(ref, {
      messageId: response.messageId ?? "",
      messageRole: MessageRole.BOT,
      messageLength: response.text.length,
      responseLatencyMs: response.latencyMs,
    }),
  };
}

/** The fields of a message written by the human agent after a hand-off. */
export function humanAgentMessageEvent(ref: ConversationRef, message: ChatMessage): EventInit {
  return {
    ...envelope(ref, message.properties),
    eventType: "human_agent_message",
    eventCategory: "interaction",
    interactionText: text(ref, message.text),
    context: chat(ref, {
      messageId: message.messageId ?? "",
      messageRole: MessageRole.HUMAN_AGENT,
      messageLength: message.text.length,
    }),
  };
}

/** The fields of button_click: the button's id, its label as the text. */
export function buttonClickEvent(
  ref: ConversationRef,
  button: { buttonId: string; label?: string; messageId?: string; properties?: Properties },
): EventInit {
  return {
    ...envelope(ref, button.properties),
    eventType: "button_click",
    eventCategory: "interaction",
    interactionTarget: button.buttonId,
    interactionText: button.label ?? "",
    context: chat(ref, { messageId: button.messageId ?? "", messageRole: MessageRole.USER }),
  };
}

/** The fields of handoff: to whom (a team or queue) and why. */
export function handoffEvent(
  ref: ConversationRef,
  handoff: { to?: string; reason?: string; properties?: Properties } = {},
): EventInit {
  const properties = handoff.reason === undefined
    ? handoff.properties
    : { ...handoff.properties, reason: handoff.reason };
  return {
    ...envelope(ref, properties),
    eventType: "handoff",
    eventCategory: "system",
    interactionTarget: handoff.to ?? "human_agent",
    context: chat(ref, { messageRole: MessageRole.SYSTEM }),
  };
}

/** How a conversation ended. */
export interface ConversationEnd {
  /** Length of the conversation in ms (interaction value). */
  durationMs?: number;
  /** Whether the user's need was met, when known. */
  resolved?: boolean;
  /** The user's rating, when asked (e.g. 1 to 5). */
  rating?: number;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The fields of conversation_end (interaction value: the duration in ms). */
export function conversationEndEvent(ref: ConversationRef, end: ConversationEnd = {}): EventInit {
  const properties: Properties = { ...end.properties };
  if (end.resolved !== undefined) properties.resolved = end.resolved;
  if (end.rating !== undefined) properties.rating = end.rating;
  return {
    ...envelope(ref, Object.keys(properties).length ? properties : undefined),
    eventType: "conversation_end",
    eventCategory: "session",
    interactionValue: end.durationMs,
    context: chat(ref, { messageRole: MessageRole.SYSTEM }),
  };
}
