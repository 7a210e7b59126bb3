/**
 * The events a mobile app reports, as event fields: screen views, taps, swipes, the app going
 * to the foreground and the background; and the mobile context (screen, OS, app and device)
 * every one of them carries.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { EventInit } from "@analytics/client-core";
import { type MobileContext, MobileContextSchema } from "@analytics/schema";

/** What the app knows about where it runs; set once, `network` may change. */
export interface MobileDevice {
  /** "iOS", "Android". */
  osName: string;
  /** "17.5", "14". */
  osVersion: string;
  /** The app's version ("4.12.0"), also recorded as the client version. */
  appVersion: string;
  /** The build number ("4120"). */
  appBuild?: string;
  /** "iPhone15,2", "Pixel 8". */
  deviceModel?: string;
  /** "Apple", "Google". */
  deviceManufacturer?: string;
  /** "wifi", "cellular", "none". */
  network?: string;
}

/** A swipe's direction. */
export type SwipeDirection = "left" | "right" | "up" | "down";

/** Free-form attributes of an event (JSON values). */
export type Properties = Record<string, unknown>;

/** The mobile context of an event on `screenName`. */
export function mobileContext(device: MobileDevice, screenName: string): MobileContext {
  return create(MobileContextSchema, {
    screenName,
    osName: device.osName,
    osVersion: device.osVersion,
    appVersion: device.appVersion,
    appBuild: device.appBuild ?? "",
    deviceModel: device.deviceModel ?? "",
    deviceManufacturer: device.deviceManufacturer ?? "",
    network: device.network ?? "",
  });
}

const props = (properties?: Properties) => properties as EventInit["properties"];

/** The fields of a screen_view event. */
export function screenViewEvent(
  screen: { name: string; title?: string; properties?: Properties },
): EventInit {
  return {
    eventType: "screen_view",
    eventCategory: "navigation",
    resourceId: screen.name,
    resourceTitle: screen.title ?? screen.name,
    properties: props(screen.properties),
  };
}

/** The fields of a tap on `target` (a button id), with its label as the interaction text. */
export function tapEvent(
  tap: { target: string; label?: string; properties?: Properties },
): EventInit {
  return {
    eventType: "tap",
    eventCategory: "interaction",
    interactionTarget: tap.target,
    interactionText: tap.label ?? "",
    properties: props(tap.properties),
  };
}

/** The fields of a swipe (interaction value: the distance in points, when known). */
export function swipeEvent(
  swipe: { direction: SwipeDirection; target?: string; distance?: number; properties?: Properties },
): EventInit {
  return {
    eventType: "swipe",
    eventCategory: "interaction",
    interactionTarget: swipe.target ?? "",
    interactionValue: swipe.distance,
    properties: props({ ...swipe.properties, direction: swipe.direction }),
  };
}

/** The fields of app_foreground (interaction value: the time spent in the background, ms). */
export function appForegroundEvent(backgroundMs?: number): EventInit {
  return { eventType: "app_foreground", eventCategory: "session", interactionValue: backgroundMs };
}

/** The fields of app_background (interaction value: the time spent in the foreground, ms). */
export function appBackgroundEvent(foregroundMs?: number): EventInit {
  return { eventType: "app_background", eventCategory: "session", interactionValue: foregroundMs };
}
