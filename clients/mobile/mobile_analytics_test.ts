import assert from "node:assert/strict";
import { Channel, type Event } from "@analytics/schema";
import { settle } from "@analytics/client-core/testing";
import { openRecordingClient } from "../testdata/recording_ingest.ts";
import { type AppStateLike, AsyncStorageAdapter, type MobileAnalyticsOptions } from "./mod.ts";
import { MobileAnalytics } from "./mobile_analytics.ts";

const DEVICE = {
  osName: "iOS",
  osVersion: "17.5",
  appVersion: "4.12.0",
  appBuild: "4120",
  deviceModel: "iPhone15,2",
  deviceManufacturer: "Apple",
  network: "wifi",
};

const OPTIONS: MobileAnalyticsOptions = {
  writeKey: "unused",
  url: "http://unused",
  device: DEVICE,
  deviceId: "vendor-id-1",
  locale: "en-GB",
  timezone: "Europe/London",
};

async function openMobile(more: Partial<MobileAnalyticsOptions> = {}) {
  const ingest = await openRecordingClient(Channel.MOBILE, {
    platform: "ios",
    storage: more.storage,
  });
  const options = { ...OPTIONS, scheduler: ingest.scheduler, ...more };
  return { ingest, mobile: new MobileAnalytics(ingest.client, options) };
}

const mobileOf = (event: Event) => {
  assert.equal(event.context.case, "mobile");
  return event.context.value!;
};

Deno.test("mobile: screen views set the screen every later event carries, with the device", async () => {
  const { ingest, mobile } = await openMobile();
  mobile.screen("Home");
  mobile.tap("banner_0", { label: "Winter sale" });
  mobile.screen("ProductDetail", { title: "City Jacket", properties: { product_id: "p_77" } });
  mobile.swipe("left", { target: "image_gallery", distance: 320 });
  mobile.track({ eventType: "add_to_cart", interactionValue: 129.9 });
  await mobile.identify("u_42", { plan: "member" });
  await mobile.shutdown();

  assert.deepEqual(ingest.rejected, []);
  const got = ingest.accepted;
  assert.deepEqual(got.map((e) => e.eventType), [
    "screen_view",
    "tap",
    "screen_view",
    "swipe",
    "add_to_cart",
    "identify",
  ]);
  assert.deepEqual(got.map((e) => mobileOf(e).screenName), [
    "Home",
    "Home",
    "ProductDetail",
    "ProductDetail",
    "ProductDetail",
    "ProductDetail",
  ]);
  assert.deepEqual(got.map((e) => e.resourceId), got.map((e) => mobileOf(e).screenName));
  const [home, tap, detail, swipe, cart, identify] = got;
  assert.equal(identify.userId, "u_42");
  assert.deepEqual(identify.properties, { plan: "member" });
  assert.equal(home.eventCategory, "navigation");
  assert.equal(detail.resourceTitle, "City Jacket");
  assert.deepEqual(detail.properties, { product_id: "p_77" });
  assert.equal(tap.interactionTarget, "banner_0");
  assert.equal(tap.interactionText, "Winter sale");
  assert.equal(swipe.interactionTarget, "image_gallery");
  assert.equal(swipe.interactionValue, 320);
  assert.deepEqual(swipe.properties, { direction: "left" });
  assert.equal(cart.interactionValue, 129.9);
  for (const event of got) {
    assert.equal(event.channel, Channel.MOBILE);
    assert.equal(event.platform, "ios");
    assert.equal(event.deviceId, "vendor-id-1");
    assert.equal(event.client?.clientVersion, "4.12.0");
    assert.equal(event.client?.locale, "en-GB");
    assert.equal(event.client?.timezone, "Europe/London");
    const { screenName: _, $typeName: __, ...device } = mobileOf(event);
    assert.deepEqual(device, DEVICE);
  }
});

Deno.test("mobile: setNetwork changes the network of later events only", async () => {
  const { ingest, mobile } = await openMobile();
  mobile.screen("Home");
  mobile.setNetwork("cellular");
  mobile.tap("search");
  await mobile.shutdown();
  assert.deepEqual(ingest.accepted.map((e) => mobileOf(e).network), ["wifi", "cellular"]);
});

/** An object shaped like React Native's AppState that a test drives by hand. */
function fakeAppState(): AppStateLike & { set(state: string): void; listeners: number } {
  const listeners = new Set<(state: string) => void>();
  let current = "active";
  return {
    get currentState() {
      return current;
    },
    get listeners() {
      return listeners.size;
    },
    addEventListener(_type, listener) {
      listeners.add(listener);
      return { remove: () => listeners.delete(listener) };
    },
    set(state) {
      current = state;
      for (const listener of listeners) listener(state);
    },
  };
}

Deno.test("mobile: AppState changes become foreground/background once each, with durations", async () => {
  const { ingest, mobile } = await openMobile();
  const appState = fakeAppState();
  const stop = mobile.watchAppState(appState);
  mobile.screen("Home");
  await ingest.scheduler.advance(60_000);
  appState.set("inactive"); // iOS: the app switcher opens; not yet the background
  appState.set("background");
  appState.set("background");
  await settle();
  // Going to the background sends at once: the OS may end the app before the flush interval.
  assert.deepEqual(ingest.accepted.map((e) => e.eventType), ["screen_view", "app_background"]);
  await ingest.scheduler.advance(5_000);
  appState.set("active");
  appState.set("active");
  stop();
  assert.equal(appState.listeners, 0);
  appState.set("background"); // no longer followed
  await mobile.shutdown();

  const types = ingest.accepted.map((e) => e.eventType);
  assert.deepEqual(types, ["screen_view", "app_background", "app_foreground"]);
  const [, background, foreground] = ingest.accepted;
  assert.equal(background.interactionValue, 60_000, "time in the foreground");
  assert.equal(foreground.interactionValue, 5_000, "time in the background");
  assert.equal(mobileOf(foreground).screenName, "Home");
});

/** A Map shaped like AsyncStorage (strings in, strings or null out, all async). */
function asyncStorageLike() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key: string) => Promise.resolve(map.get(key) ?? null),
    setItem: (key: string, value: string) => Promise.resolve(void map.set(key, value)),
    removeItem: (key: string) => Promise.resolve(void map.delete(key)),
  };
}

Deno.test("mobile: AsyncStorageAdapter keeps the ids under its prefix and maps null to absent", async () => {
  const store = asyncStorageLike();
  store.map.set("app-owned", "untouched");
  const storage = new AsyncStorageAdapter(store);
  assert.equal(await storage.get("missing"), undefined);
  await storage.set("k", "v");
  assert.equal(store.map.get("@analytics/k"), "v");
  assert.equal(await storage.get("k"), "v");
  await storage.remove("k");
  assert.equal(store.map.has("@analytics/k"), false);

  const { ingest, mobile } = await openMobile({ storage });
  mobile.screen("Home");
  await mobile.shutdown();
  const keys = [...store.map.keys()].filter((k) => k !== "app-owned");
  assert.ok(keys.length > 0 && keys.every((k) => k.startsWith("@analytics/")), keys.join());
  assert.equal(store.map.get("app-owned"), "untouched");

  const again = await openMobile({ storage: new AsyncStorageAdapter(store) });
  const event = again.mobile.screen("Home");
  await again.mobile.shutdown();
  assert.equal(event.anonymousId, ingest.accepted[0].anonymousId, "the install keeps its id");
});

Deno.test("mobile: an unsent event waits in AsyncStorage and goes on the next open", async () => {
  const store = asyncStorageLike();
  const first = await openMobile({ storage: new AsyncStorageAdapter(store) });
  const left = first.mobile.screen("Checkout");
  await settle(); // the queue is written to storage after each change
  // The app is killed here: its flush timer never fires, nothing was sent.
  assert.equal(first.ingest.calls, 0);

  const next = await openMobile({ storage: new AsyncStorageAdapter(store) });
  await next.ingest.scheduler.advance(0);
  await next.mobile.shutdown();
  assert.deepEqual(next.ingest.accepted.map((e) => e.eventId), [left.eventId]);
  assert.equal(mobileOf(next.ingest.accepted[0]).screenName, "Checkout");
});
