/**
 * `POST /analytics`, the original product's JSON event API, on the shared ingest pipeline.
 *
 * @module
 */
export {
  type ConnectionInfo,
  createLegacyAnalyticsHandler,
  handleLegacyAnalytics,
} from "./handle_legacy_analytics.ts";
export {
  type LegacyDefaults,
  type LegacyEventError,
  legacyEventFromJson,
  REQUIRED_FIELDS,
} from "./legacy_event.ts";
