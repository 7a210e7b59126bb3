/**
 * The web client: page views (the first, and each single-page route change), clicks on elements
 * marked `data-analytics-click="name"`, form submits, page load and unload, each with the page's
 * web context (URL, path, title, referrer, UTM, viewport, screen) and client context. Events go
 * as Connect JSON over fetch to the ingest (no Protobuf runtime, so the bundle stays small);
 * they wait in IndexedDB (else localStorage) so a reload or a network cut loses nothing; when the
 * page is hidden or left, what is queued goes at once with `fetch(..., { keepalive: true })`.
 *
 * @module
 */
import type { EventJson, UtmJson } from "@analytics/schema";
import {
  browserStorage,
  type BrowserStorageKind,
  type ClientStats,
  connectJsonFormat,
  EventClient,
  type EventClientOptions,
  type FlushResult,
  type KeepaliveOptions,
  type StorageAdapter,
} from "@analytics/client-core/json";
import { watchFormSubmits } from "./autocapture/form_submits.ts";
import { watchMarkedClicks } from "./autocapture/marked_clicks.ts";
import { watchPageLifecycle } from "./autocapture/page_lifecycle.ts";
import { watchRouteChanges } from "./autocapture/route_changes.ts";
import { clientContext, webContext } from "./context/page_context.ts";
import { claimTabQueue } from "./tabs/tab_queue.ts";
import { parseUtm } from "./context/utm.ts";

/** The library name and version recorded on every event. */
export const WEB_LIBRARY = { name: "@analytics/web", version: "0.1.0" };

/** What the web client records by itself; every kind is on unless turned off. */
export interface Autocapture {
  /** `page_view` on start and on each route change (pushState, replaceState, popstate). */
  pageViews?: boolean;
  /** `button_click` for clicks on elements with the click attribute. */
  clicks?: boolean;
  /** `form_submit` for submitted forms. */
  forms?: boolean;
  /** `page_load` and `page_unload`. */
  lifecycle?: boolean;
}

/** Options of createWebAnalytics. */
export interface WebAnalyticsOptions extends EventClientOptions<EventJson> {
  /** A write key allowed the web channel (sent as `?write_key=` on keepalive requests). */
  writeKey: string;
  /** The ingest's HTTP address. Default: this page's host on port 3001. */
  url?: string;
  /** A storage adapter, or the kinds to try in order. Default IndexedDB, localStorage, memory. */
  storage?: StorageAdapter;
  /** Storage kinds to try when `storage` is not given. */
  storageKinds?: BrowserStorageKind[];
  /** What to record automatically. Default: everything. */
  autocapture?: Autocapture;
  /** The attribute marking clickable elements. Default `data-analytics-click`. */
  clickAttribute?: string;
  /** Platform recorded on events. Default "web". */
  platform?: string;
  /** Limits of the final flush when the page is hidden or left. */
  keepalive?: KeepaliveOptions;
  /** Called with each event as it is recorded (e.g. for an on-page event log). */
  onEvent?: (event: EventJson) => void;
}

/** The web analytics client of one page. */
export class WebAnalytics {
  /** The shared client underneath (queue, retry, sessions). */
  readonly core: EventClient<EventJson, EventJson>;
  readonly #options: WebAnalyticsOptions;
  readonly #uninstall: (() => void)[] = [];
  readonly #landingUtm: UtmJson | undefined;
  #closed = false;

  private constructor(core: EventClient<EventJson, EventJson>, options: WebAnalyticsOptions) {
    this.core = core;
    this.#options = options;
    this.#landingUtm = parseUtm(location.href);
  }

  /** Opens the client (restoring ids, session and queue) and starts the automatic capture. */
  static async create(options: WebAnalyticsOptions): Promise<WebAnalytics> {
    if (!options.writeKey) throw new Error("createWebAnalytics: writeKey is required");
    const baseUrl = options.url ?? `${location.protocol}//${location.hostname}:3001`;
    const format = connectJsonFormat({
      baseUrl,
      writeKey: options.writeKey,
      channel: "CHANNEL_WEB",
      platform: options.platform ?? "web",
      library: WEB_LIBRARY,
    });
    const storage = options.storage ?? browserStorage(options.storageKinds);
    // One queue per tab, so tabs never overwrite each other's unsent events.
    const tab = await claimTabQueue(storage);
    const core = await EventClient.openWith(format, {
      ...options,
      storage,
      queueKey: options.queueKey ?? tab.key,
    });
    await tab.adoptOrphans((key) => core.adoptQueue(key));
    const analytics = new WebAnalytics(core, options);
    analytics.#install(options.autocapture ?? {});
    return analytics;
  }

  /** The persistent anonymous id of this browser. */
  get anonymousId(): string {
    return this.core.anonymousId;
  }

  /** The current session id. */
  get sessionId(): string {
    return this.core.sessionId;
  }

  /** Counters since the page opened the client. */
  get stats(): ClientStats {
    return this.core.stats;
  }

  /** Records an event of `eventType` with the page's context; returns it. */
  track(eventType: string, init: Omit<EventJson, "eventType"> = {}): EventJson {
    const event = this.core.track({
      eventCategory: "interaction",
      ...init,
      eventType,
      web: init.web ?? webContext(this.#landingUtm),
      client: { ...clientContext(), ...init.client },
    });
    this.#options.onEvent?.(event);
    return event;
  }

  /** Records a `page_view` of the current page (called automatically unless turned off). */
  page(init: Omit<EventJson, "eventType"> = {}): EventJson {
    return this.track("page_view", {
      eventCategory: "navigation",
      resourceId: location.pathname,
      resourceTitle: document.title.slice(0, 512),
      ...init,
    });
  }

  /** Links this browser's anonymous id to `userId`; later events carry it. */
  async identify(userId: string, traits: Record<string, unknown> = {}): Promise<EventJson> {
    const event = await this.core.identify(userId, traits);
    this.#options.onEvent?.(event);
    return event;
  }

  /** Forgets the user and starts a new anonymous id and session (a logout). */
  reset(): Promise<void> {
    return this.core.reset();
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Stops the automatic capture, sends what is queued (up to `timeoutMs`), closes the client. */
  async shutdown(options: { timeoutMs?: number } = {}): Promise<ClientStats> {
    this.#closed = true;
    for (const uninstall of this.#uninstall.splice(0)) uninstall();
    return await this.core.shutdown(options);
  }

  #install(capture: Autocapture): void {
    const on = (flag: boolean | undefined) => flag !== false;
    if (on(capture.pageViews)) {
      this.page();
      this.#uninstall.push(
        watchRouteChanges((from) => this.page({ properties: { from_path: from } })),
      );
    }
    if (on(capture.clicks)) {
      const attribute = this.#options.clickAttribute ?? "data-analytics-click";
      this.#uninstall.push(
        watchMarkedClicks(attribute, (name, element) =>
          this.track("button_click", {
            interactionTarget: name,
            interactionText: element.textContent?.trim().slice(0, 256) ?? "",
          })),
      );
    }
    if (on(capture.forms)) {
      this.#uninstall.push(
        watchFormSubmits((name) => this.track("form_submit", { interactionTarget: name })),
      );
    }
    const lifecycle = on(capture.lifecycle);
    this.#uninstall.push(watchPageLifecycle({
      loaded: (loadMs) => {
        if (!lifecycle || this.#closed) return;
        this.track("page_load", {
          eventCategory: "session",
          ...(loadMs === undefined ? {} : { interactionValue: loadMs }),
        });
      },
      hidden: () => this.core.flushKeepalive(this.#options.keepalive),
      left: () => {
        if (this.#closed) return;
        if (lifecycle) this.track("page_unload", { eventCategory: "session" });
        this.core.flushKeepalive(this.#options.keepalive);
      },
    }));
  }
}

/** Opens the web client of this page and starts the automatic capture. */
export function createWebAnalytics(options: WebAnalyticsOptions): Promise<WebAnalytics> {
  return WebAnalytics.create(options);
}
