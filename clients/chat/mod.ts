/**
 * `@analytics/chat`: chat bot analytics from the bot's back end: conversations, user messages,
 * bot responses with their latency, button clicks, the hand-off to a human.
 *
 * @example
 * ```ts ignore
 * import { createChatAnalytics } from "@analytics/chat";
 * const analytics = await createChatAnalytics({ writeKey: "wk_...", platform: "slack", botName: "ShopBot" });
 * const conversation = analytics.startConversation({ conversationId: "C042-1718.2", userId: "U123" });
 * conversation.userMessage("Where is my order?");
 * conversation.botResponse({ text: "It shipped yesterday.", intent: "order_status" });
 * conversation.end({ resolved: true });
 * await analytics.shutdown();
 * ```
 *
 * @module
 */
export * from "./chat_analytics.ts";
export * from "./chat_events.ts";
