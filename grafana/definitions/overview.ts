/**
 * The analytics overview (the original product's dashboard): volume over time by type and
 * channel, active sessions, top resources and the latest events. Volume panels read the
 * per-minute rollup; the rest read `analytics_events` by its skew-corrected `timestamp`.
 *
 * @module
 */
import type { DashboardSpec } from "./panel_spec.ts";

/** The overview dashboard. */
export const OVERVIEW: DashboardSpec = {
  uid: "analytics-overview",
  title: "Analytics overview",
  description:
    "Events over time, by type and channel, active sessions, top resources, latest events.",
  tags: ["analytics"],
  file: "analytics-overview.json",
  sections: [{
    title: "Overview",
    panels: [
      {
        title: "Totals",
        description: "Events, sessions and identified users in the time range.",
        kind: "stat",
        format: "table",
        sql: `SELECT count(*) AS events,
  count(DISTINCT session_id) AS sessions,
  count(DISTINCT user_id) AS users
FROM analytics_events
WHERE $__timeFilter("timestamp")`,
        columns: ["events", "sessions", "users"],
        width: 24,
        height: 4,
      },
      {
        title: "Events over time",
        description: "Events per interval, from the per-minute rollup.",
        kind: "timeseries",
        format: "time_series",
        sql: `SELECT $__timeGroupAlias(bucket, $__interval), sum(events) AS events
FROM analytics_events_per_minute
WHERE $__timeFilter(bucket)
GROUP BY 1
ORDER BY 1`,
        columns: ["time", "events"],
        minInterval: "1m",
      },
      {
        title: "Active sessions",
        description: "Distinct sessions with at least one event in each interval.",
        kind: "timeseries",
        format: "time_series",
        sql: `SELECT $__timeGroupAlias("timestamp", $__interval),
  count(DISTINCT session_id) AS sessions
FROM analytics_events
WHERE $__timeFilter("timestamp")
GROUP BY 1
ORDER BY 1`,
        columns: ["time", "sessions"],
      },
      {
        title: "Events by type",
        description: "Events per interval and event type, from the per-minute rollup.",
        kind: "timeseries",
        format: "time_series",
        sql: `SELECT $__timeGroupAlias(bucket, $__interval), event_type AS metric,
  sum(events) AS events
FROM analytics_events_per_minute
WHERE $__timeFilter(bucket)
GROUP BY 1, 2
ORDER BY 1, 2`,
        columns: ["time", "metric", "events"],
        minInterval: "1m",
      },
      {
        title: "Events by channel",
        description: "Events per interval and channel, from the per-minute rollup.",
        kind: "timeseries",
        format: "time_series",
        sql: `SELECT $__timeGroupAlias(bucket, $__interval), channel AS metric,
  sum(events) AS events
FROM analytics_events_per_minute
WHERE $__timeFilter(bucket)
GROUP BY 1, 2
ORDER BY 1, 2`,
        columns: ["time", "metric", "events"],
        minInterval: "1m",
      },
      {
        title: "Top resources",
        description: "The most used pages, screens, conversations, skills and tasks.",
        kind: "table",
        format: "table",
        sql: `SELECT resource_id, max(resource_title) AS resource_title, channel,
  count(*) AS events, count(DISTINCT session_id) AS sessions
FROM analytics_events
WHERE $__timeFilter("timestamp") AND resource_id IS NOT NULL
GROUP BY resource_id, channel
ORDER BY events DESC
LIMIT 20`,
        columns: ["resource_id", "resource_title", "channel", "events", "sessions"],
      },
      {
        title: "Event types",
        description: "Events per type in the time range.",
        kind: "barchart",
        format: "table",
        sql: `SELECT event_type, count(*) AS events
FROM analytics_events
WHERE $__timeFilter("timestamp")
GROUP BY event_type
ORDER BY events DESC
LIMIT 20`,
        columns: ["event_type", "events"],
      },
      {
        title: "Recent events",
        description: "The latest 100 events in the time range.",
        kind: "table",
        format: "table",
        sql: `SELECT "timestamp" AS time, channel, event_type, resource_id, session_id, user_id,
  platform, trace_id
FROM analytics_events
WHERE $__timeFilter("timestamp")
ORDER BY "timestamp" DESC
LIMIT 100`,
        columns: [
          "time",
          "channel",
          "event_type",
          "resource_id",
          "session_id",
          "user_id",
          "platform",
          "trace_id",
        ],
        traceIdColumn: "trace_id",
        width: 24,
        height: 10,
      },
    ],
  }],
};
