/** The per-minute rollup of rows known to be all new: counted here, added in one statement. */
import type { Event } from "@analytics/schema";
import { EVENT_COLUMNS, skewCorrectedTime } from "../event_row.ts";

const CHANNEL = EVENT_COLUMNS.find((c) => c.name === "channel")!;
const EVENT_TYPE = EVENT_COLUMNS.find((c) => c.name === "event_type")!;

/** One rollup row: the minute (epoch seconds), channel, event type and how many events. */
export interface MinuteCount {
  b: number;
  c: string;
  e: string;
  n: number;
}

/**
 * The events counted per minute of their `timestamp` column, channel and event type: the same
 * groups as `date_trunc('minute', "timestamp", 'UTC')` of the stored rows (the column keeps the
 * time to the microsecond, never across a minute), with the values the columns store.
 */
export function minuteCounts(events: Iterable<Event>): MinuteCount[] {
  const counts = new Map<string, MinuteCount>();
  for (const event of events) {
    const time = skewCorrectedTime(event);
    if (time === undefined) continue; // Not storable: refused before it reaches a loader.
    const b = Math.floor(Number(time.seconds) / 60) * 60;
    const c = CHANNEL.value(event) as string;
    const e = EVENT_TYPE.value(event) as string;
    const key = `${b}\t${c}\t${e}`;
    const count = counts.get(key);
    if (count) count.n++;
    else counts.set(key, { b, c, e, n: 1 });
  }
  return [...counts.values()];
}

/** SQL adding `minuteCounts` given as JSON in `$1` to the per-minute rollup. */
export const ADD_MINUTE_COUNTS_SQL =
  `INSERT INTO analytics_events_per_minute AS r (bucket, channel, event_type, events)
SELECT to_timestamp(b), c, e, n
FROM json_to_recordset($1::text::json) AS u(b double precision, c text, e text, n bigint)
ON CONFLICT (bucket, channel, event_type) DO UPDATE SET events = r.events + EXCLUDED.events`;
