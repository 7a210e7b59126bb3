/**
 * The read API over the hot store: `analytics.v1.QueryService`.
 *
 * @module
 */
export { createQueryService } from "./query_service.ts";
export { channelFromName, EVENT_SELECT, eventFromRow, type EventRow } from "./event_from_row.ts";
