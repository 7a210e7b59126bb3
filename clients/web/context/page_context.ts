/**
 * The web and client context of an event, read from the page: URL, path, title, referrer,
 * campaign (UTM) parameters, viewport and screen; user agent, language, time zone and the
 * privacy signals (Global Privacy Control, Do Not Track).
 *
 * @module
 */
import type { ClientContextJson, UtmJson, WebContextJson } from "@analytics/schema";
import { parseUtm } from "./utm.ts";

const clip = (text: string, max: number) => text.length > max ? text.slice(0, max) : text;

/**
 * The web context of the current page. `landingUtm` is used when the URL has no UTM parameters
 * (a single-page app drops them from the URL after the landing page).
 */
export function webContext(landingUtm?: UtmJson): WebContextJson {
  const context: WebContextJson = {
    url: clip(location.href, 2048),
    path: clip(location.pathname, 1024),
    pageTitle: clip(document.title, 512),
    referrer: clip(document.referrer, 2048),
    viewportWidth: Math.min(innerWidth, 100_000),
    viewportHeight: Math.min(innerHeight, 100_000),
    screenWidth: Math.min(screen.width, 100_000),
    screenHeight: Math.min(screen.height, 100_000),
  };
  const utm = parseUtm(location.href) ?? landingUtm;
  if (utm) context.utm = utm;
  return context;
}

/** The client context of this browser. */
export function clientContext(): ClientContextJson {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  return {
    userAgent: clip(nav.userAgent, 1024),
    locale: clip(nav.language ?? "", 35),
    timezone: clip(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "", 64),
    globalPrivacyControl: nav.globalPrivacyControl === true,
    doNotTrack: nav.doNotTrack === "1",
  };
}
