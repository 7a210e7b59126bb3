/**
 * `@analytics/mobile`: analytics for React Native apps (and any JavaScript on a phone) over
 * Connect and `fetch`: screen views, taps, swipes, foreground and background, with the device
 * and app version on every event. No React Native import: hand it AsyncStorage and AppState.
 *
 * @example
 * ```ts ignore
 * import AsyncStorage from "@react-native-async-storage/async-storage";
 * import { AppState } from "react-native";
 * import { AsyncStorageAdapter, createMobileAnalytics } from "@analytics/mobile";
 *
 * const analytics = await createMobileAnalytics({
 *   writeKey: "wk_...",
 *   url: "https://ingest.example.com",
 *   device: { osName: "iOS", osVersion: "17.5", appVersion: "4.12.0", deviceModel: "iPhone15,2" },
 *   storage: new AsyncStorageAdapter(AsyncStorage),
 * });
 * analytics.watchAppState(AppState);
 * analytics.screen("Home");
 * analytics.tap("banner_0", { label: "Winter sale" });
 * ```
 *
 * @module
 */
export * from "./mobile_analytics.ts";
export * from "./app_state.ts";
export * from "./async_storage.ts";
export * from "./mobile_events.ts";
