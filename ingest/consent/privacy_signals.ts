import type { Event } from "@analytics/schema";

/** Which privacy signals apply to an event. */
export interface PrivacySignals {
  /** Global Privacy Control. */
  gpc: boolean;
  /** Do Not Track. */
  dnt: boolean;
}

/** No signal. */
export const NO_SIGNALS: PrivacySignals = Object.freeze({ gpc: false, dnt: false });

/**
 * The signals a request's headers carry: `Sec-GPC: 1` (Global Privacy Control spec, §3.1) and
 * `DNT: 1` (W3C Tracking Preference Expression). Any other value, `DNT: 0` included, is no signal.
 */
export function requestPrivacySignals(headers: Headers): PrivacySignals {
  return {
    gpc: headers.get("sec-gpc")?.trim() === "1",
    dnt: headers.get("dnt")?.trim() === "1",
  };
}

/**
 * The signals of one event: the request's, or the ones a client forwarded in the event
 * (`client.global_privacy_control` from `navigator.globalPrivacyControl`, `client.do_not_track`),
 * for events batched by a server or sent without the browser's headers.
 */
export function eventPrivacySignals(event: Event, request: PrivacySignals): PrivacySignals {
  return {
    gpc: request.gpc || event.client?.globalPrivacyControl === true,
    dnt: request.dnt || event.client?.doNotTrack === true,
  };
}
