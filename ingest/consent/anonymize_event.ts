import { createHash } from "node:crypto";
import type { Event } from "@analytics/schema";

/** Prefix of the anonymous ids the ingest derives for anonymised events. */
export const DERIVED_ANONYMOUS_ID_PREFIX = "anon-";

/**
 * The anonymous id of an anonymised event: a hash of its source and session id, so the events of
 * one session still count as one visitor while nothing links two sessions. It reveals nothing the
 * event does not already carry (the session id stays), and a retry gets the same id.
 */
export function derivedAnonymousId(source: string, sessionId: string): string {
  const digest = createHash("sha256").update(`anonymous-id-v1\u0000${source}\u0000${sessionId}`)
    .digest("hex");
  return DERIVED_ANONYMOUS_ID_PREFIX + digest.slice(0, 32);
}

/**
 * Removes what identifies a person or a device from an enriched event, in place, and marks it
 * `enrichment.anonymised` (docs/consent.md): no user id, device id or IP (not even the
 * anonymised /24), no raw user agent string (the parsed browser and OS stay), the anonymous id
 * replaced by `derivedAnonymousId`, query strings and fragments cut from the page URL and the
 * resource id, and the referrer cut to its origin. Time, channel, event type, session, page
 * path, campaign (UTM, taken from the URL before) and properties stay.
 */
export function anonymizeEvent(event: Event): Event {
  const source = event.enrichment?.source ?? "";
  event.userId = "";
  event.deviceId = "";
  event.anonymousId = derivedAnonymousId(source, event.sessionId);
  if (event.client) {
    event.client.ip = "";
    event.client.userAgent = "";
  }
  if (event.context.case === "web") {
    const web = event.context.value;
    web.url = withoutQuery(web.url);
    web.referrer = originOnly(web.referrer);
  }
  event.resourceId = withoutQuery(event.resourceId);
  if (event.enrichment) {
    event.enrichment.ip = "";
    event.enrichment.anonymised = true;
  }
  return event;
}

/** An http(s) URL or an absolute path without its query and fragment; anything else unchanged. */
function withoutQuery(value: string): string {
  if (value.startsWith("/")) return value.replace(/[?#].*$/s, "");
  const url = httpUrl(value);
  if (url === undefined) return value;
  return url.origin + url.pathname;
}

/** The origin of an http(s) URL; "" for anything else that is not empty (it may identify). */
function originOnly(value: string): string {
  if (value === "") return "";
  return httpUrl(value)?.origin ?? "";
}

function httpUrl(value: string): URL | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
