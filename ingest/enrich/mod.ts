/**
 * Enrichment of events on arrival: receive and skew-corrected time, user agent, bot flag, UTM
 * parameters, IP anonymisation, source, schema and ingest version.
 *
 * @module
 */
export { enrichEvent, type EnrichOptions, type RequestFacts } from "./enrich_event.ts";
export { isBotUserAgent } from "./bot.ts";
export {
  fromNanos,
  MAX_QUEUE_DELAY_MS,
  receivedAtFrom,
  skewCorrectedTime,
  toNanos,
} from "./event_time.ts";
export { INGEST_VERSION } from "./ingest_version.ts";
export { anonymiseIp, normaliseIp, parseIp } from "./ip.ts";
export { createUserAgentParser } from "./user_agent.ts";
export { utmFromUrl } from "./utm.ts";
