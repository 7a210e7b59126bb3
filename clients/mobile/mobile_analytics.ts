/**
 * The mobile client (React Native, or any JavaScript runtime on a phone): screen views, taps,
 * swipes, the app's foreground and background, each event carrying the screen shown and the
 * device and app it runs on. Connect over `fetch` (React Native has no gRPC); no DOM, Node or
 * Deno API is used, so the same code runs in React Native, a browser or a test. The queue and
 * ids live in a pluggable storage adapter (AsyncStorage through `AsyncStorageAdapter`).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  AnalyticsClient,
  type AnalyticsClientOptions,
  type ClientStats,
  createFetchTransport,
  type EventInit,
  type FlushResult,
} from "@analytics/client-core";
import { Channel, ClientContextSchema, type Event } from "@analytics/schema";
import { type AppStateLike, watchAppState } from "./app_state.ts";
import {
  appBackgroundEvent,
  appForegroundEvent,
  mobileContext,
  type MobileDevice,
  type Properties,
  screenViewEvent,
  type SwipeDirection,
  swipeEvent,
  tapEvent,
} from "./mobile_events.ts";

/** The library name and version recorded on each event. */
export const MOBILE_LIBRARY = { name: "@analytics/mobile", version: "0.1.0" } as const;

/** Options of createMobileAnalytics; the core's tuning options (and `storage`) pass through. */
export interface MobileAnalyticsOptions
  extends Omit<AnalyticsClientOptions, "transport" | "channel" | "library" | "platform"> {
  /** The write key (a key allowed the "mobile" channel). */
  writeKey: string;
  /** The ingest's HTTP address, e.g. https://ingest.example.com (the local one: port 3001). */
  url: string;
  /** "connect" (default) or "grpc-web". */
  protocol?: "connect" | "grpc-web";
  /**
   * Connect with JSON bodies (default true): text is what React Native's `fetch` carries best
   * (binary bodies go through its Blob handling). False sends binary Protobuf.
   */
  json?: boolean;
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
  /** The OS, app and device the app runs on. */
  device: MobileDevice;
  /** Default: the OS name in lower case ("ios", "android"). */
  platform?: string;
  /** A device id, where the platform gives one (e.g. the vendor id). */
  deviceId?: string;
  /** BCP 47 locale of the app's user, e.g. "en-GB". */
  locale?: string;
  /** IANA time zone, e.g. "Europe/Berlin". */
  timezone?: string;
}

/** An event of the app's own (a purchase, a sign-up), with the mobile context added. */
export interface MobileEvent
  extends Omit<EventInit, "channel" | "context" | "client" | "properties"> {
  /** What happened, e.g. "add_to_cart". */
  eventType: string;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The mobile analytics client. */
export class MobileAnalytics {
  /** The shared client underneath, for stats and identity. */
  readonly core: AnalyticsClient;
  readonly #options: MobileAnalyticsOptions;
  readonly #now: () => number;
  #device: MobileDevice;
  #screen = "";
  #state: "foreground" | "background" = "foreground";
  #stateSince: number;

  /** Wraps an opened core client; use createMobileAnalytics. */
  constructor(core: AnalyticsClient, options: MobileAnalyticsOptions) {
    this.core = core;
    this.#options = options;
    this.#device = { ...options.device };
    this.#now = () => options.scheduler?.now() ?? Date.now();
    this.#stateSince = this.#now();
  }

  /** The screen of the last `screen` call ("" before the first). */
  get currentScreen(): string {
    return this.#screen;
  }

  /** Records a screen view; later events carry this screen in their context. */
  screen(name: string, details: { title?: string; properties?: Properties } = {}): Event {
    this.#screen = name;
    return this.#track(screenViewEvent({ name, ...details }));
  }

  /** Records a tap on `target` (a button or element id) on the current screen. */
  tap(target: string, details: { label?: string; properties?: Properties } = {}): Event {
    return this.#track(tapEvent({ target, ...details }));
  }

  /** Records a swipe on the current screen. */
  swipe(
    direction: SwipeDirection,
    details: { target?: string; distance?: number; properties?: Properties } = {},
  ): Event {
    return this.#track(swipeEvent({ direction, ...details }));
  }

  /** Records the app coming to the foreground (once per change), with the time it was away. */
  foreground(): Event | undefined {
    if (this.#state === "foreground") return undefined;
    return this.#track(appForegroundEvent(this.#switchState("foreground")));
  }

  /**
   * Records the app going to the background (once per change), with the time it was in use, and
   * starts sending at once: the OS may suspend or end the app soon after.
   */
  background(): Event | undefined {
    if (this.#state === "background") return undefined;
    const event = this.#track(appBackgroundEvent(this.#switchState("background")));
    this.core.flush().catch(() => {}); // failures are retried from the queue
    return event;
  }

  /**
   * Follows React Native's `AppState` (or anything shaped like it): "active" records a
   * foreground, "background" a background; "inactive" (iOS, a call or the app switcher) neither.
   * `onEvent` hears each lifecycle event recorded. Returns the function that stops following it.
   */
  watchAppState(appState: AppStateLike, onEvent?: (event: Event) => void): () => void {
    const recorded = (event: Event | undefined) => event && onEvent?.(event);
    return watchAppState(appState, {
      foreground: () => recorded(this.foreground()),
      background: () => recorded(this.background()),
    });
  }

  /** Records the network type for later events ("wifi", "cellular", "none"). */
  setNetwork(network: string): void {
    this.#device = { ...this.#device, network };
  }

  /** Records an event of the app's own, with the mobile context of the current screen. */
  track(event: MobileEvent): Event {
    const { properties, ...fields } = event;
    return this.#track({ ...fields, properties: properties as EventInit["properties"] });
  }

  /** Links this install's anonymous id to a user (an `identify` event, on the current screen). */
  identify(userId: string, traits?: Record<string, unknown>): Promise<Event> {
    return this.core.identify(userId, traits, this.#deviceFields({}));
  }

  /** Forgets the user, makes a new anonymous id and session (a logout). */
  reset(): Promise<void> {
    return this.core.reset();
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Sends what is left (retrying up to `timeoutMs`); what is not sent stays in storage. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats> {
    return this.core.shutdown(options);
  }

  #switchState(next: "foreground" | "background"): number {
    const now = this.#now();
    const spent = now - this.#stateSince;
    this.#state = next;
    this.#stateSince = now;
    return spent;
  }

  #track(fields: EventInit): Event {
    return this.core.track(this.#deviceFields(fields));
  }

  /** `fields` with the device id, the current screen, the app's client and mobile context. */
  #deviceFields(fields: EventInit): EventInit {
    const options = this.#options;
    return {
      deviceId: options.deviceId,
      ...fields,
      resourceId: fields.resourceId || this.#screen,
      client: create(ClientContextSchema, {
        clientVersion: this.#device.appVersion,
        locale: options.locale ?? "",
        timezone: options.timezone ?? "",
      }),
      context: { case: "mobile", value: mobileContext(this.#device, this.#screen) },
    };
  }
}

/** Opens a mobile client; sends any events a previous run left in `storage`. */
export async function createMobileAnalytics(
  options: MobileAnalyticsOptions,
): Promise<MobileAnalytics> {
  const {
    writeKey,
    url,
    protocol,
    json,
    fetch,
    device,
    platform,
    deviceId: _d,
    locale: _l,
    timezone: _t,
    ...tuning
  } = options;
  const useJson = protocol !== "grpc-web" && (json ?? true);
  const core = await AnalyticsClient.open({
    // JSON is about twice the size of the binary encoding the batch limit measures.
    maxBatchBytes: useJson ? 256 * 1024 : undefined,
    ...tuning,
    transport: createFetchTransport({ baseUrl: url, writeKey, protocol, json: useJson, fetch }),
    channel: Channel.MOBILE,
    platform: platform ?? device.osName.toLowerCase(),
    library: MOBILE_LIBRARY,
  });
  return new MobileAnalytics(core, options);
}
