/**
 * A support bot on Slack, as `@analytics/chat` records it from the bot's back end: two
 * conversations at once, one answered by the bot (a question, a quick-reply button, a rating),
 * one handed off to a human after the bot could not help. Each bot response's latency is the
 * time since the user's message. gRPC to the ingest. Run `deno task dev`, then
 * `deno task example:chat`.
 *
 * Prints one line per event and, at the end, `accepted=N rejected=M`.
 *
 * @module
 */
import { createChatAnalytics } from "@analytics/chat";
import type { Event } from "@analytics/schema";
import { pause, readExampleEnv } from "./example_env.ts";

const env = await readExampleEnv();
const analytics = await createChatAnalytics({
  writeKey: env.writeKey,
  url: env.url,
  platform: "slack",
  botName: "ShopBot",
  onRejected: (r) => console.error(`rejected ${r.event.eventType}: ${r.field} ${r.reason}`),
});
let made = 0;
const show = (who: string, event: Event) => {
  made++;
  console.log(`${who} ${event.eventType.padEnd(20)} ${event.eventId}`);
};
const thinking = () => pause(Math.max(env.paceMs, 1) * 2); // the bot's own work

const a = analytics.startConversation({ userId: "U04ALICE", topic: "order_status" });
show("a", a.started);
const b = analytics.startConversation({ userId: "U07BOB", topic: "returns" });
show("b", b.started);
await pause(env.paceMs);

show("a", a.userMessage({ text: "Where is my order #4521?", messageId: "1718.0001" }));
await thinking();
show(
  "a",
  a.botResponse({
    text: "It shipped yesterday and arrives Thursday. Want tracking updates?",
    intent: "order_status",
    messageId: "1718.0002",
  }),
);
await pause(env.paceMs);
show("b", b.userMessage("I want to return shoes I wore once"));
await thinking();
show("b", b.botResponse({ text: "Returns are free within 30 days if unworn.", intent: "returns" }));
await pause(env.paceMs);
show("a", a.buttonClick("tracking_yes", { label: "Yes, notify me", messageId: "1718.0002" }));
show("a", a.botResponse({ text: "Done: I'll message you when it is out for delivery." }));
await pause(env.paceMs);
show("b", b.userMessage("they were worn once, indoors. can someone help?"));
await thinking();
show("b", b.botResponse({ text: "Let me get a colleague for you.", intent: "handoff" }));
show("b", b.handoff({ to: "returns_team", reason: "policy_exception" }));
await pause(env.paceMs);
show("b", b.humanAgentMessage("Hi, I'm Sam from returns. Let's sort this out."));
await pause(env.paceMs);
show("a", a.end({ resolved: true, rating: 5 }));
show("b", b.end({ resolved: true, rating: 4 }));

const stats = await analytics.shutdown();
console.log(`accepted=${stats.accepted} rejected=${stats.rejected}`);
if (stats.accepted !== made) Deno.exit(1);
