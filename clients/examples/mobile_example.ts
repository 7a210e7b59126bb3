/**
 * A shopping app session on a phone, as `@analytics/mobile` records it from React Native: the
 * app opens on Home, the user browses jackets (screens, taps, a swipe through the gallery),
 * signs in, adds one to the cart, switches to another app and back, and pays. Connect over
 * fetch to the ingest's HTTP port. Run `deno task dev`, then `deno task example:mobile`.
 *
 * The app's lifecycle comes from an object shaped like React Native's `AppState`, wired with
 * `watchAppState` exactly as an app would wire the real one.
 *
 * Prints one line per event and, at the end, `accepted=N rejected=M`.
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import { type AppStateLike, createMobileAnalytics } from "@analytics/mobile";
import { pause, readExampleEnv } from "./example_env.ts";

/** Stands in for `import { AppState } from "react-native"`. */
function appStateOfThisExample(): AppStateLike & { change(state: string): void } {
  const listeners = new Set<(state: string) => void>();
  let currentState = "active";
  return {
    get currentState() {
      return currentState;
    },
    addEventListener(_type, listener) {
      listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    },
    change(state) {
      currentState = state;
      for (const listener of listeners) listener(state);
    },
  };
}

const env = await readExampleEnv();
const analytics = await createMobileAnalytics({
  writeKey: env.writeKey,
  url: env.url ?? "http://127.0.0.1:3001",
  device: {
    osName: "iOS",
    osVersion: "17.5",
    appVersion: "4.12.0",
    appBuild: "4120",
    deviceModel: "iPhone15,2",
    deviceManufacturer: "Apple",
    network: "wifi",
  },
  locale: "en-GB",
  timezone: "Europe/London",
  onRejected: (r) => console.error(`rejected ${r.event.eventType}: ${r.field} ${r.reason}`),
});
const made: Event[] = [];
const show = (event: Event | undefined) => {
  if (!event) return;
  made.push(event);
  const what = event.interactionTarget || event.resourceId;
  console.log(`${event.eventType.padEnd(16)} ${what.padEnd(16)} ${event.eventId}`);
};
const appState = appStateOfThisExample();
const stopWatching = analytics.watchAppState(appState, show);

const steps: (() => Event | undefined | Promise<Event>)[] = [
  () => analytics.track({ eventType: "app_open", properties: { cold_start: true } }),
  () => analytics.screen("Home"),
  () => analytics.tap("category_jackets", { label: "Jackets" }),
  () => analytics.screen("ProductList", { properties: { category: "jackets" } }),
  () => analytics.tap("product_card", { properties: { product_id: "p_77" } }),
  () => analytics.screen("ProductDetail", { title: "City Jacket" }),
  () => analytics.swipe("left", { target: "image_gallery", distance: 310 }),
  () => analytics.swipe("left", { target: "image_gallery", distance: 295 }),
  () => analytics.identify(`user_${crypto.randomUUID().slice(0, 8)}`, { plan: "member" }),
  () => analytics.tap("add_to_cart", { label: "Add to bag" }),
  () => analytics.track({ eventType: "product_added", interactionValue: 129.9 }),
  () => void appState.change("inactive"), // the app switcher: no event yet
  () => void appState.change("background"), // another app: app_background, sent at once
  () => void appState.change("active"), // back: app_foreground
  () => analytics.screen("Cart"),
  () => {
    analytics.setNetwork("cellular");
    return analytics.tap("checkout_button", { label: "Checkout" });
  },
  () => analytics.screen("Checkout"),
  () => analytics.tap("pay_button", { label: "Pay with Apple Pay" }),
  () =>
    analytics.track({
      eventType: "order_completed",
      interactionValue: 129.9,
      properties: { currency: "GBP", items: 1 },
    }),
];

for (const step of steps) {
  show(await step());
  await pause(env.paceMs);
}
stopWatching();
const stats = await analytics.shutdown();
console.log(`accepted=${stats.accepted} rejected=${stats.rejected}`);
if (stats.accepted !== made.length) Deno.exit(1);
