/** The insert shared by both loaders: new rows only, and the rollup counts of exactly those. */
import { COLUMN_LIST } from "../event_row.ts";

/**
 * SQL inserting the rows of `source` (a table or a `VALUES` list aliased with the event
 * columns) that are not stored yet, and adding the inserted rows, and only those, to the
 * per-minute rollup; returns one row `{ inserted }`.
 */
export function insertNewEventsSql(source: string): string {
  return `WITH inserted AS (
  INSERT INTO analytics_events (${COLUMN_LIST})
  SELECT ${COLUMN_LIST} FROM ${source}
  ON CONFLICT DO NOTHING
  RETURNING "timestamp", channel, event_type
), rolled AS (
  INSERT INTO analytics_events_per_minute AS r (bucket, channel, event_type, events)
  SELECT date_trunc('minute', "timestamp", 'UTC'), channel, event_type, count(*)
  FROM inserted GROUP BY 1, 2, 3
  ON CONFLICT (bucket, channel, event_type) DO UPDATE SET events = r.events + EXCLUDED.events
  RETURNING 1
)
SELECT count(*)::int AS inserted FROM inserted`;
}
