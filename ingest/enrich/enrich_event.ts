import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Channel, EnrichmentSchema, type Event, type UserAgent } from "@analytics/schema";
import { EVENT_SCHEMA } from "../stream/topics.ts";
import { isBotUserAgent } from "./bot.ts";
import { skewCorrectedTime } from "./event_time.ts";
import { anonymiseIp, normaliseIp } from "./ip.ts";
import { INGEST_VERSION } from "./ingest_version.ts";
import { utmFromUrl } from "./utm.ts";

/** What the ingest knows about the request an event arrived in. */
export interface RequestFacts {
  /** When the request arrived. */
  receivedAt: Timestamp;
  /** The request's `sent_at`, used for events without their own. */
  sentAt?: Timestamp;
  /** Source of the write key (or the legacy source) that sent the request. */
  source: string;
  /** Address of the connection's peer. */
  remoteAddress?: string;
  /** The request's `user-agent` header, used for web events without `client.user_agent`. */
  userAgent?: string;
  /** Trace id of the trace the event is published in, when there is one. */
  traceId?: string;
}

/** Options of enrichment that come from configuration. */
export interface EnrichOptions {
  /** Keep full client IPs (INGEST_STORE_FULL_IP); anonymise them otherwise. */
  storeFullIp: boolean;
  /** Parses a user agent string (see `createUserAgentParser`). */
  parseUserAgent: (ua: string) => UserAgent | undefined;
}

/**
 * Enriches a validated event in place and returns it: replaces whatever `enrichment` the client
 * sent with the receive time, the skew-corrected time, the source, the (anonymised) client IP,
 * the parsed user agent and bot flag, the schema and ingest version; fills `web.utm` from the
 * page URL when absent; anonymises `client.ip` unless full IPs are kept.
 */
export function enrichEvent(event: Event, request: RequestFacts, options: EnrichOptions): Event {
  enrichEventInPlace(event, request, options);
  return event;
}

/**
 * Enriches like `enrichEvent` and tells whether any field the client sent was changed
 * (`client.ip` rewritten, `web.utm` filled in), as opposed to only `enrichment` being set: when
 * not, the client's encoding of the event is still valid for everything but `enrichment`.
 */
export function enrichEventInPlace(
  event: Event,
  request: RequestFacts,
  options: EnrichOptions,
): { clientFieldsChanged: boolean } {
  let clientFieldsChanged = false;
  // A request's user-agent header names the browser only for web events; elsewhere it names an
  // HTTP or gRPC library, which would read as a bot.
  const headerUa = event.channel === Channel.WEB ? request.userAgent : undefined;
  const ua = event.client?.userAgent || headerUa || "";
  const clientIp = event.client?.ip || request.remoteAddress || "";
  const ip = (options.storeFullIp ? normaliseIp(clientIp) : anonymiseIp(clientIp)) ?? "";
  if (event.client && event.client.ip !== "" && event.client.ip !== ip) {
    event.client.ip = ip;
    clientFieldsChanged = true;
  }

  if (event.context.case === "web" && event.context.value.utm === undefined) {
    const utm = utmFromUrl(event.context.value.url);
    if (utm !== undefined) {
      event.context.value.utm = utm;
      clientFieldsChanged = true;
    }
  }

  event.enrichment = create(EnrichmentSchema, {
    receivedAt: request.receivedAt,
    correctedTime: event.timestamp &&
      skewCorrectedTime(event.timestamp, event.sentAt ?? request.sentAt, request.receivedAt),
    source: request.source,
    ip,
    userAgent: options.parseUserAgent(ua),
    isBot: isBotUserAgent(ua),
    schema: EVENT_SCHEMA,
    ingestVersion: INGEST_VERSION,
    // Set by the consent policy (ingest/consent) after enrichment, when a privacy signal asks.
    anonymised: false,
    traceId: request.traceId ?? "",
  });
  return { clientFieldsChanged };
}
