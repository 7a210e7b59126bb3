/**
 * The server-side client (Deno, Node): back-end events (`CHANNEL_SERVER`) such as an order
 * placed or a subscription renewed, usually on behalf of a user the server knows. gRPC to the
 * ingest by default; the queue and anonymous id live in a folder when `dataDir` is set, so
 * events not yet sent survive a restart.
 *
 * @module
 */
import type { AnalyticsClient, ClientStats, EventInit, FlushResult } from "@analytics/client-core";
import { openServerSideClient, type ServerSideOptions } from "@analytics/client-core/grpc";
import { Channel, type Event } from "@analytics/schema";

/** The library name and version recorded on each event. */
export const SERVER_LIBRARY = { name: "@analytics/server", version: "0.1.0" } as const;

/** Options of createServerAnalytics; the core's tuning options pass through. */
export interface ServerAnalyticsOptions extends ServerSideOptions {
  /** Default "deno" or "node", whichever runs this. */
  platform?: string;
}

/** A back-end event: what happened, and on whose behalf. */
export interface ServerEvent extends Omit<EventInit, "channel" | "properties"> {
  /** What happened, e.g. "order_completed". */
  eventType: string;
  /** Free-form attributes (JSON values). */
  properties?: Record<string, unknown>;
}

/** The server-side analytics client. */
export class ServerAnalytics {
  /** The shared client underneath, for stats and identity. */
  readonly core: AnalyticsClient;

  /** Wraps an opened core client; use createServerAnalytics. */
  constructor(core: AnalyticsClient) {
    this.core = core;
  }

  /** Queues a back-end event (category "server" unless given); returns it with its id. */
  track(event: ServerEvent): Event {
    const { properties, ...fields } = event;
    return this.core.track({
      eventCategory: "server",
      ...fields,
      properties: properties as EventInit["properties"],
    });
  }

  /** Links this process's anonymous id to a user (an `identify` event). */
  identify(userId: string, traits?: Record<string, unknown>): Promise<Event> {
    return this.core.identify(userId, traits);
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Sends what is left (retrying up to `timeoutMs`), then closes the connection. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats> {
    return this.core.shutdown(options);
  }
}

/** Opens a server-side client; sends any events a previous run left in `dataDir`. */
export async function createServerAnalytics(
  options: ServerAnalyticsOptions,
): Promise<ServerAnalytics> {
  const { platform, ...common } = options;
  const core = await openServerSideClient(common, {
    channel: Channel.SERVER,
    platform: platform ?? runtimeName(),
    library: SERVER_LIBRARY,
  });
  return new ServerAnalytics(core);
}

function runtimeName(): string {
  return "Deno" in globalThis ? "deno" : "node";
}
