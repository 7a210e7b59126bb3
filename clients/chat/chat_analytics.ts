/**
 * The chat client, for a bot's back end (Slack, Teams, WhatsApp, a web widget, ...): one
 * `Conversation` per conversation, whose events share its id as their session and the chat
 * user as their user, so many conversations can run at once in one process. A stateless webhook
 * handler (one message per call) resumes a conversation by its id with `conversation()`. A bot
 * response's latency is measured from the last user message unless given. gRPC to the ingest by
 * default.
 *
 * @module
 */
import type { AnalyticsClient, ClientStats, EventInit, FlushResult } from "@analytics/client-core";
import { openServerSideClient, type ServerSideOptions } from "@analytics/client-core/grpc";
import { Channel, type Event, uuidv7 } from "@analytics/schema";
import {
  type BotResponse,
  botResponseEvent,
  buttonClickEvent,
  type ChatMessage,
  type ConversationEnd,
  conversationEndEvent,
  type ConversationRef,
  conversationStartEvent,
  handoffEvent,
  humanAgentMessageEvent,
  type Properties,
  userMessageEvent,
} from "./chat_events.ts";

/** The library name and version recorded on each event. */
export const CHAT_LIBRARY = { name: "@analytics/chat", version: "0.1.0" } as const;

/** Messaging platforms by their usual names; any other name is allowed. */
export type ChatPlatform =
  | "slack"
  | "teams"
  | "whatsapp"
  | "messenger"
  | "telegram"
  | "web"
  | (string & Record<never, never>);

/** Options of createChatAnalytics; the core's tuning options pass through. */
export interface ChatAnalyticsOptions extends ServerSideOptions {
  /** Where the conversations happen. */
  platform: ChatPlatform;
  /** Name of the bot, on every event. */
  botName?: string;
  /** Record message texts (default true); false keeps only their lengths. */
  recordText?: boolean;
}

/** A conversation to start. */
export interface ConversationStart {
  /** The platform's conversation or thread id. Default: a new UUIDv7. */
  conversationId?: string;
  /** The chat user's id on the platform, when known. */
  userId?: string;
  /** What it is about, e.g. "order_status". */
  topic?: string;
  /** Free-form attributes of conversation_start (JSON values). */
  properties?: Properties;
}

/** A conversation to resume (a webhook call in a conversation started earlier). */
export interface ConversationRefInit {
  /** The platform's conversation or thread id. */
  conversationId: string;
  /** The chat user's id on the platform, when known. */
  userId?: string;
  /** When the conversation started (Unix ms), for the duration `end()` records. */
  startedAtMs?: number;
}

/** One conversation: its events share its id (as the session id) and its user. */
export class Conversation {
  /** The conversation id, also the session id of its events. */
  readonly conversationId: string;
  /** The chat user's id, or "". */
  readonly userId: string;
  /** The conversation_start event (undefined for a resumed conversation). */
  readonly started?: Event;
  readonly #ref: ConversationRef;
  readonly #track: (fields: EventInit) => Event;
  readonly #now: () => number;
  readonly #startedAt?: number;
  #lastUserMessageAt?: number;
  #ended = false;

  /** Starts (or resumes) a conversation; use ChatAnalytics.startConversation or conversation. */
  constructor(
    client: AnalyticsClient,
    options: ChatAnalyticsOptions,
    start: ConversationStart & { startedAtMs?: number },
    now: () => number,
    resume = false,
  ) {
    this.conversationId = start.conversationId ?? uuidv7();
    this.userId = start.userId ?? "";
    this.#ref = {
      conversationId: this.conversationId,
      botName: options.botName,
      recordText: options.recordText,
    };
    this.#track = (fields) =>
      client.track({ ...fields, sessionId: this.conversationId, userId: this.userId });
    this.#now = now;
    if (resume) {
      this.#startedAt = start.startedAtMs;
      return;
    }
    this.#startedAt = now();
    this.started = this.#record(conversationStartEvent(this.#ref, start));
  }

  /** Records a message from the user; the next bot response's latency counts from here. */
  userMessage(message: ChatMessage | string): Event {
    this.#lastUserMessageAt = this.#now();
    return this.#record(userMessageEvent(this.#ref, asMessage(message)));
  }

  /** Records the bot's answer; `latencyMs` defaults to the time since the last user message. */
  botResponse(response: (Partial<BotResponse> & ChatMessage) | string): Event {
    const answer = asMessage(response) as Partial<BotResponse> & ChatMessage;
    const latencyMs = answer.latencyMs ??
      (this.#lastUserMessageAt === undefined ? 0 : this.#now() - this.#lastUserMessageAt);
    return this.#record(botResponseEvent(this.#ref, { ...answer, latencyMs }));
  }

  /** Records a click on a button (a quick reply, a card action). */
  buttonClick(buttonId: string, details: { label?: string; messageId?: string } = {}): Event {
    return this.#record(buttonClickEvent(this.#ref, { buttonId, ...details }));
  }

  /** Records the hand-off to a human (a team or queue in `to`). */
  handoff(details: { to?: string; reason?: string; properties?: Properties } = {}): Event {
    return this.#record(handoffEvent(this.#ref, details));
  }

  /** Records a message of the human agent who took over. */
  humanAgentMessage(message: ChatMessage | string): Event {
    return this.#record(humanAgentMessageEvent(this.#ref, asMessage(message)));
  }

  /** Records conversation_end with its duration (when its start is known); later calls throw. */
  end(details: Omit<ConversationEnd, "durationMs"> = {}): Event {
    const durationMs = this.#startedAt === undefined ? undefined : this.#now() - this.#startedAt;
    const event = this.#record(conversationEndEvent(this.#ref, { ...details, durationMs }));
    this.#ended = true;
    return event;
  }

  #record(fields: EventInit): Event {
    if (this.#ended) {
      throw new Error(`conversation ${this.conversationId} has ended: no events after end()`);
    }
    return this.#track(fields);
  }
}

const asMessage = <T extends ChatMessage>(message: T | string): T =>
  (typeof message === "string" ? { text: message } : message) as T;

/** The chat analytics client. */
export class ChatAnalytics {
  /** The shared client underneath, for stats. */
  readonly core: AnalyticsClient;
  readonly #options: ChatAnalyticsOptions;
  readonly #now: () => number;

  /** Wraps an opened core client; use createChatAnalytics. */
  constructor(core: AnalyticsClient, options: ChatAnalyticsOptions) {
    this.core = core;
    this.#options = options;
    this.#now = () => options.scheduler?.now() ?? Date.now();
  }

  /** Records conversation_start and returns the conversation (with that event as `started`). */
  startConversation(start: ConversationStart = {}): Conversation & { readonly started: Event } {
    return new Conversation(this.core, this.#options, start, this.#now) as Conversation & {
      readonly started: Event;
    };
  }

  /**
   * A conversation started earlier (by another call or process), to record more of it without a
   * second conversation_start; pass `latencyMs` to its bot responses, since the user's message
   * was not seen here.
   */
  conversation(ref: ConversationRefInit): Conversation {
    return new Conversation(this.core, this.#options, ref, this.#now, true);
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Sends what is left (retrying up to `timeoutMs`), then closes the connection. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats> {
    return this.core.shutdown(options);
  }
}

/** Opens a chat client; sends any events a previous run left in `dataDir`. */
export async function createChatAnalytics(options: ChatAnalyticsOptions): Promise<ChatAnalytics> {
  const { platform, botName: _b, recordText: _r, ...common } = options;
  const core = await openServerSideClient(common, {
    channel: Channel.CHAT,
    platform,
    library: CHAT_LIBRARY,
  });
  return new ChatAnalytics(core, options);
}
