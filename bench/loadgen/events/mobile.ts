/**
 * Mobile sessions: an app start, then screen views, taps and swipes in one app install on one
 * device, with its OS and app versions. The event shapes and the mobile context are the mobile
 * client's (@analytics/mobile).
 *
 * @module
 */
import {
  appBackgroundEvent,
  mobileContext,
  screenViewEvent,
  swipeEvent,
  tapEvent,
} from "@analytics/mobile";
import { Channel, type Event } from "@analytics/schema";
import { type GeneratorContext, sessionEvent, startSession } from "./session.ts";

const DEVICES = [
  { os: "iOS", versions: ["17.5", "17.4.1", "16.7.8"], model: "iPhone15,2", maker: "Apple" },
  { os: "iOS", versions: ["17.5", "16.6"], model: "iPhone13,1", maker: "Apple" },
  { os: "Android", versions: ["14", "13"], model: "Pixel 8", maker: "Google" },
  { os: "Android", versions: ["14", "13", "12"], model: "SM-S918B", maker: "samsung" },
] as const;

const APP_VERSIONS = [["4.12.0", "4120"], ["4.11.2", "4112"], ["4.10.0", "4100"]] as const;

const SCREENS = ["Home", "Search", "ProductList", "ProductDetail", "Cart", "Checkout", "Profile"];
const TARGETS: Record<string, string[]> = {
  Home: ["banner_0", "category_shoes", "category_jackets"],
  Search: ["search_field", "filter_button", "result_0"],
  ProductList: ["product_card", "sort_button"],
  ProductDetail: ["add_to_cart", "size_picker", "image_gallery"],
  Cart: ["checkout_button", "remove_item", "quantity_stepper"],
  Checkout: ["pay_button", "address_field"],
  Profile: ["settings", "orders", "logout"],
};

/** Yields the events of one mobile app session (4 to 30 events). */
export function* mobileSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const handset = random.pick(DEVICES);
  const platform = handset.os === "iOS" ? "ios" : "android";
  const session = startSession(ctx, Channel.MOBILE, platform, 0.6);
  const [appVersion, appBuild] = random.pick(APP_VERSIONS);
  const client = {
    libraryName: "@analytics/mobile",
    libraryVersion: "0.1.0",
    clientVersion: appVersion,
    locale: random.pick(["en-US", "en-GB", "de-DE", "es-ES"]),
    timezone: random.pick(["America/Chicago", "Europe/London", "Europe/Madrid"]),
  };
  const device = {
    osName: handset.os,
    osVersion: random.pick(handset.versions),
    appVersion,
    appBuild,
    deviceModel: handset.model,
    deviceManufacturer: handset.maker,
    network: random.weighted([["wifi", 6], ["cellular", 4]] as const),
  };
  let screen = "Home";
  const envelope = () => ({
    client,
    resourceId: screen,
    context: { case: "mobile" as const, value: mobileContext(device, screen) },
  });

  yield sessionEvent(ctx, session, {
    ...envelope(),
    eventType: "app_open",
    eventCategory: "session",
    properties: { cold_start: random.chance(0.4), launch_ms: random.int(300, 3000) },
  });
  yield sessionEvent(ctx, session, { ...screenViewEvent({ name: screen }), ...envelope() });
  const steps = random.int(2, 28);
  let foregroundMs = 0;
  for (let i = 0; i < steps; i++) {
    const kind = random.weighted([["screen_view", 3], ["tap", 5], ["swipe", 2]] as const);
    foregroundMs += random.int(800, 20_000);
    if (kind === "screen_view") {
      screen = random.pick(SCREENS);
      yield sessionEvent(ctx, session, { ...screenViewEvent({ name: screen }), ...envelope() });
    } else if (kind === "tap") {
      const target = random.pick(TARGETS[screen]);
      yield sessionEvent(ctx, session, { ...tapEvent({ target }), ...envelope() });
    } else {
      const direction = random.pick(["left", "right", "up", "down"] as const);
      const distance = random.int(40, 900);
      yield sessionEvent(ctx, session, { ...swipeEvent({ direction, distance }), ...envelope() });
    }
  }
  if (random.chance(0.7)) {
    yield sessionEvent(ctx, session, { ...appBackgroundEvent(foregroundMs), ...envelope() });
  }
}
