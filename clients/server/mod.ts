/**
 * `@analytics/server`: back-end events from Deno or Node to the analytics ingest, over gRPC by
 * default.
 *
 * @example
 * ```ts ignore
 * import { createServerAnalytics } from "@analytics/server";
 * const analytics = await createServerAnalytics({ writeKey: Deno.env.get("ANALYTICS_KEY")! });
 * analytics.track({ eventType: "order_completed", userId: "u_42", properties: { total: 99.5 } });
 * await analytics.shutdown();
 * ```
 *
 * @module
 */
export {
  createServerAnalytics,
  SERVER_LIBRARY,
  ServerAnalytics,
  type ServerAnalyticsOptions,
  type ServerEvent,
} from "./server_analytics.ts";
