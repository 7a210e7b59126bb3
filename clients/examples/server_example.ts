/**
 * A back-end session: a user signs up, is identified, orders, a payment fails and is retried,
 * a subscription renews. Run `deno task dev`, then `deno task example:server`.
 *
 * Prints one line per event and, at the end, `accepted=N rejected=M`.
 *
 * @module
 */
import { createServerAnalytics } from "@analytics/server";
import { pause, readExampleEnv } from "./example_env.ts";

const env = await readExampleEnv();
const analytics = await createServerAnalytics({
  writeKey: env.writeKey,
  url: env.url,
  onRejected: (r) => console.error(`rejected ${r.event.eventType}: ${r.field} ${r.reason}`),
});
const userId = `user_${crypto.randomUUID().slice(0, 8)}`;
const orderId = `order_${Date.now()}`;
const steps = [
  () => analytics.identify(userId, { plan: "trial", signup_source: "landing_page" }),
  () => analytics.track({ eventType: "user_signed_up", userId, properties: { method: "email" } }),
  () =>
    analytics.track({
      eventType: "order_created",
      userId,
      resourceId: orderId,
      interactionValue: 129.9,
      properties: { currency: "EUR", items: 3 },
    }),
  () =>
    analytics.track({
      eventType: "payment_failed",
      userId,
      resourceId: orderId,
      properties: { reason: "card_declined", provider: "stripe" },
    }),
  () =>
    analytics.track({
      eventType: "payment_succeeded",
      userId,
      resourceId: orderId,
      interactionValue: 129.9,
      properties: { provider: "stripe", attempt: 2 },
    }),
  () =>
    analytics.track({
      eventType: "subscription_renewed",
      userId,
      resourceId: "plan_pro_monthly",
      interactionValue: 29,
    }),
];
for (const step of steps) {
  const event = await step();
  console.log(`${event.eventType.padEnd(22)} ${event.eventId}`);
  await pause(env.paceMs);
}
const stats = await analytics.shutdown();
console.log(`accepted=${stats.accepted} rejected=${stats.rejected}`);
if (stats.accepted !== steps.length) Deno.exit(1);
