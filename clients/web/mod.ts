/**
 * The web analytics client: automatic page views (single-page route changes included), clicks
 * on marked elements, form submits, UTM capture, page load and unload, sent as Connect JSON with
 * a final keepalive flush when the page is hidden or left. No Node or Deno module is imported;
 * `deno task build:web` bundles it for a `<script type="module">` tag.
 *
 * @example
 * ```ts
 * import { createWebAnalytics } from "@analytics/web";
 *
 * const analytics = await createWebAnalytics({ writeKey: "wk_...", url: "https://ingest.example" });
 * analytics.track("signup_started", { properties: { plan: "pro" } });
 * ```
 *
 * @module
 */
export {
  type Autocapture,
  createWebAnalytics,
  WEB_LIBRARY,
  WebAnalytics,
  type WebAnalyticsOptions,
} from "./web_analytics.ts";
export { parseUtm } from "./context/utm.ts";
export type { EventJson } from "@analytics/schema";
