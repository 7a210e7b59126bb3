/**
 * The multi-channel dashboard: one row per channel, over the channel-context columns of
 * `analytics_events`. Event-type conventions it relies on (those of the SDKs and the load
 * generator): web `page_view`; mobile `screen_view`; chat `handoff`, bot messages with
 * `message_role = 'bot'`; speech `intent_recognized` (a fallback intent is a no-match); agent
 * `task_end` with an outcome, model calls with a `model`, tool runs with a `tool_name`.
 *
 * @module
 */
import type { DashboardSpec, SectionSpec, SqlPanelSpec } from "./panel_spec.ts";

/** `$__timeFilter` on the skew-corrected time plus a channel. */
const inChannel = (channel: string) => `$__timeFilter("timestamp") AND channel = '${channel}'`;
const BUCKET = `$__timeGroupAlias("timestamp", $__interval)`;

/** A panel of a channel's row: its title without the row's name, its format left to its kind. */
type ChannelPanel = Omit<SqlPanelSpec, "format">;

/**
 * A channel's row: each panel titled `<row>: <title>`, read as a time series when drawn as one
 * (as a table otherwise), `width` columns wide unless it sets its own (undefined: the default).
 */
function channelRow(row: string, width: number | undefined, panels: ChannelPanel[]): SectionSpec {
  return {
    title: row,
    panels: panels.map((panel) => ({
      width,
      ...panel,
      title: `${row}: ${panel.title}`,
      format: panel.kind === "timeseries" ? "time_series" : "table",
    })),
  };
}

const WEB = channelRow("Web", undefined, [
  {
    title: "page views",
    description: "Page views and distinct sessions per interval.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET},
  count(*) FILTER (WHERE event_type = 'page_view') AS page_views,
  count(DISTINCT session_id) AS sessions
FROM analytics_events
WHERE ${inChannel("web")}
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "page_views", "sessions"],
  },
  {
    title: "top pages",
    description: "Pages by views, with the sessions that saw them.",
    kind: "table",
    sql: `SELECT page_path, count(*) AS views, count(DISTINCT session_id) AS sessions
FROM analytics_events
WHERE ${inChannel("web")} AND event_type = 'page_view' AND page_path IS NOT NULL
GROUP BY page_path
ORDER BY views DESC
LIMIT 20`,
    columns: ["page_path", "views", "sessions"],
  },
  {
    title: "referrers",
    description: "Referring host of each session's landing page view ((direct) when none).",
    kind: "barchart",
    sql: `SELECT coalesce(substring(referrer FROM '^[a-z]+://([^/?#]+)'), '(direct)') AS referrer,
  count(*) AS sessions
FROM (
  SELECT DISTINCT ON (session_id) session_id, referrer
  FROM analytics_events
  WHERE ${inChannel("web")} AND event_type = 'page_view'
  ORDER BY session_id, "timestamp"
) AS landings
GROUP BY 1
ORDER BY sessions DESC
LIMIT 20`,
    columns: ["referrer", "sessions"],
  },
  {
    title: "UTM campaigns",
    description: "Sessions and events by UTM source, medium and campaign.",
    kind: "table",
    sql: `SELECT utm_source, utm_medium, utm_campaign,
  count(DISTINCT session_id) AS sessions, count(*) AS events
FROM analytics_events
WHERE ${inChannel("web")} AND utm_source IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY sessions DESC
LIMIT 20`,
    columns: ["utm_source", "utm_medium", "utm_campaign", "sessions", "events"],
  },
]);

const MOBILE = channelRow("Mobile", 8, [
  {
    title: "top screens",
    description: "Screen views by screen.",
    kind: "barchart",
    sql: `SELECT screen_name, count(*) AS views
FROM analytics_events
WHERE ${inChannel("mobile")} AND event_type = 'screen_view' AND screen_name IS NOT NULL
GROUP BY screen_name
ORDER BY views DESC
LIMIT 20`,
    columns: ["screen_name", "views"],
  },
  {
    title: "platforms",
    description: "Sessions by platform.",
    kind: "barchart",
    sql: `SELECT coalesce(platform, os_name, 'unknown') AS platform,
  count(DISTINCT session_id) AS sessions
FROM analytics_events
WHERE ${inChannel("mobile")}
GROUP BY 1
ORDER BY sessions DESC`,
    columns: ["platform", "sessions"],
  },
  {
    title: "app versions",
    description: "Sessions and devices by app version.",
    kind: "table",
    sql: `SELECT app_version, count(DISTINCT session_id) AS sessions,
  count(DISTINCT device_id) AS devices
FROM analytics_events
WHERE ${inChannel("mobile")} AND app_version IS NOT NULL
GROUP BY app_version
ORDER BY sessions DESC
LIMIT 20`,
    columns: ["app_version", "sessions", "devices"],
  },
]);

const CHAT = channelRow("Chat", 8, [
  {
    title: "conversations",
    description: "Distinct conversations with a message in each interval.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, count(DISTINCT conversation_id) AS conversations
FROM analytics_events
WHERE ${inChannel("chat")}
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "conversations"],
  },
  {
    title: "response latency",
    description: "Bot response latency per interval: mean and 95th percentile.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, avg(response_latency_ms) AS mean_ms,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY response_latency_ms) AS p95_ms
FROM analytics_events
WHERE ${inChannel("chat")} AND message_role = 'bot' AND response_latency_ms IS NOT NULL
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "mean_ms", "p95_ms"],
    unit: "ms",
  },
  {
    title: "hand-offs",
    description: "Conversations handed off to a human, and their share of all conversations.",
    kind: "stat",
    sql: `SELECT count(DISTINCT conversation_id) FILTER (WHERE event_type = 'handoff') AS handoffs,
  count(DISTINCT conversation_id) AS conversations,
  round(100.0 * count(DISTINCT conversation_id) FILTER (WHERE event_type = 'handoff')
    / nullif(count(DISTINCT conversation_id), 0), 1) AS handoff_rate_percent
FROM analytics_events
WHERE ${inChannel("chat")}`,
    columns: ["handoffs", "conversations", "handoff_rate_percent"],
  },
]);

const SPEECH = channelRow("Speech", 8, [
  {
    title: "intents",
    description: "Recognised intents.",
    kind: "barchart",
    sql: `SELECT intent, count(*) AS recognitions
FROM analytics_events
WHERE ${inChannel("speech")} AND event_type = 'intent_recognized' AND intent IS NOT NULL
GROUP BY intent
ORDER BY recognitions DESC
LIMIT 20`,
    columns: ["intent", "recognitions"],
  },
  {
    title: "confidence",
    description: "Recognition confidence per interval: mean and 10th percentile.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, avg(confidence) AS mean_confidence,
  percentile_cont(0.1) WITHIN GROUP (ORDER BY confidence) AS p10_confidence
FROM analytics_events
WHERE ${inChannel("speech")} AND event_type = 'intent_recognized' AND confidence IS NOT NULL
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "mean_confidence", "p10_confidence"],
    unit: "percentunit",
  },
  {
    title: "no-match rate",
    description: "Share of recognitions that fell back (an intent named like Fallback or NoMatch).",
    kind: "timeseries",
    sql: `SELECT ${BUCKET},
  100.0 * count(*) FILTER (WHERE intent ILIKE '%fallback%' OR intent ILIKE '%nomatch%')
    / count(*) AS no_match_percent
FROM analytics_events
WHERE ${inChannel("speech")} AND event_type = 'intent_recognized'
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "no_match_percent"],
    unit: "percent",
  },
]);

const AGENT = channelRow("Agent", 8, [
  {
    title: "tasks by outcome",
    description: "Finished agent tasks per interval by outcome.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, coalesce(outcome, 'unknown') AS metric, count(*) AS tasks
FROM analytics_events
WHERE ${inChannel("agent")} AND event_type = 'task_end'
GROUP BY 1, 2
ORDER BY 1, 2`,
    columns: ["time", "metric", "tasks"],
  },
  {
    title: "tool usage and failures",
    description: "Tool executions, failures (any outcome but success) and failure rate.",
    kind: "table",
    sql: `SELECT tool_name, count(*) AS calls,
  count(*) FILTER (WHERE outcome IS DISTINCT FROM 'success') AS failures,
  round(100.0 * count(*) FILTER (WHERE outcome IS DISTINCT FROM 'success') / count(*), 1)
    AS failure_rate_percent
FROM analytics_events
WHERE ${inChannel("agent")} AND tool_name IS NOT NULL
GROUP BY tool_name
ORDER BY calls DESC`,
    columns: ["tool_name", "calls", "failures", "failure_rate_percent"],
  },
  {
    title: "tokens",
    description: "Input and output tokens of model calls per interval.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
FROM analytics_events
WHERE ${inChannel("agent")} AND model IS NOT NULL
GROUP BY 1
ORDER BY 1`,
    columns: ["time", "input_tokens", "output_tokens"],
  },
  {
    title: "cost by model",
    description: "Cost of model calls per interval, by model.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, model AS metric, sum(cost_usd) AS cost_usd
FROM analytics_events
WHERE ${inChannel("agent")} AND model IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2`,
    columns: ["time", "metric", "cost_usd"],
    unit: "currencyUSD",
    width: 12,
  },
  {
    title: "model latency",
    description: "95th percentile duration of model calls per interval, by model.",
    kind: "timeseries",
    sql: `SELECT ${BUCKET}, model AS metric,
  percentile_cont(0.95) WITHIN GROUP (
    ORDER BY (context -> 'agent' ->> 'durationMs')::double precision) AS p95_ms
FROM analytics_events
WHERE ${inChannel("agent")} AND model IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2`,
    columns: ["time", "metric", "p95_ms"],
    unit: "ms",
    width: 12,
  },
]);

/** The multi-channel dashboard. */
export const MULTI_CHANNEL: DashboardSpec = {
  uid: "analytics-multi-channel",
  title: "Analytics by channel",
  description: "Web, mobile, chat, speech and agent activity, one row per channel.",
  tags: ["analytics", "channels"],
  file: "analytics-multi-channel.json",
  sections: [WEB, MOBILE, CHAT, SPEECH, AGENT],
};
