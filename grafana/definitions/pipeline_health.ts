/**
 * Pipeline health: the ingest's and the sinks' own metrics (Prometheus scraping every program's
 * `/metrics`; the names are those of `ingest/track/ingest_metrics.ts` and
 * `sinks/loop/sink_metrics.ts`, checked by `metric_names_test.ts`), and the latest events of the
 * hot store with each trace id linked to its trace in Tempo.
 *
 * Rates use `$__rate_interval` (at least four scrape intervals, so a rate never has one sample);
 * latency quantiles come from the histograms' `_bucket` series, summed over replicas first.
 *
 * @module
 */
import type { DashboardSpec, PanelSpec, PromQuerySpec } from "./panel_spec.ts";

/** `rate()` of a counter over Grafana's rate interval, summed by `labels` across replicas. */
const rateBy = (metric: string, labels: string) =>
  `sum by (${labels}) (rate(${metric}[$__rate_interval]))`;

/** The `q` quantile of histogram `metric` (without `_bucket`) per `labels`, over all replicas. */
const quantile = (q: number, metric: string, labels: string) =>
  `histogram_quantile(${q}, sum by (le, ${labels}) (rate(${metric}_bucket[$__rate_interval])))`;

/** Mean observation of histogram `metric` per `labels`: rate of the sum over rate of the count. */
const mean = (metric: string, labels: string) =>
  `${rateBy(`${metric}_sum`, labels)} / ${rateBy(`${metric}_count`, labels)}`;

/** p50, p95 and p99 of a latency histogram per `label`, legends "p95 {{label}}". */
const latencyQueries = (metric: string, label: string): PromQuerySpec[] =>
  [0.5, 0.95, 0.99].map((q) => ({
    expr: quantile(q, metric, label),
    legend: `p${Math.round(q * 100)} {{${label}}}`,
  }));

const SUMMARY: PanelSpec[] = [
  {
    title: "Accepted events/s",
    description: "Events durably in the event log per second, all replicas.",
    source: "prometheus",
    kind: "stat",
    unit: "ops",
    queries: [{
      expr: "sum(rate(analytics_ingest_events_accepted_total[$__rate_interval]))",
      legend: "accepted",
    }],
    width: 6,
    height: 4,
  },
  {
    title: "Rejected in range",
    description: "Events refused by validation in the time range (never retried).",
    source: "prometheus",
    kind: "stat",
    queries: [{
      expr: "sum(increase(analytics_ingest_events_rejected_total[$__range]))",
      legend: "rejected",
    }],
    width: 6,
    height: 4,
  },
  {
    title: "Consumer lag",
    description: "Records in the log not yet committed, per sink, over all partitions.",
    source: "prometheus",
    kind: "stat",
    queries: [{ expr: "sum by (sink) (analytics_sink_consumer_lag)", legend: "{{sink}}" }],
    width: 6,
    height: 4,
  },
  {
    title: "Dead letters in range",
    description: "Records the sinks sent to the dead-letter topic in the time range.",
    source: "prometheus",
    kind: "stat",
    queries: [{
      expr: "sum(increase(analytics_sink_dead_lettered_total[$__range]))",
      legend: "dead letters",
    }],
    width: 6,
    height: 4,
  },
];

const INGEST: PanelSpec[] = [
  {
    title: "Ingest rate",
    description: "Events received per second, and accepted (durably in the log) by channel.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ops",
    queries: [
      {
        expr: "sum(rate(analytics_ingest_events_received_total[$__rate_interval]))",
        legend: "received",
      },
      {
        expr: rateBy("analytics_ingest_events_accepted_total", "channel"),
        legend: "accepted {{channel}}",
      },
    ],
  },
  {
    title: "Rejections by reason",
    description: "Events refused by validation per second, by the offending field; events not " +
      "stored (rate limited, log unavailable: the clients retry them) by reason.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ops",
    queries: [
      {
        expr: rateBy("analytics_ingest_events_rejected_total", "reason"),
        legend: "rejected: {{reason}}",
      },
      {
        expr: rateBy("analytics_ingest_events_not_stored_total", "reason"),
        legend: "not stored: {{reason}}",
      },
    ],
  },
  {
    title: "Privacy signals",
    description: "Events under a privacy signal (gpc, dnt) per second: anonymised (and stored) " +
      "or dropped (answered accepted, never stored), as the consent policy says.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ops",
    queries: [{
      expr: rateBy("analytics_ingest_events_consent_total", "signal, action"),
      legend: "{{signal}} {{action}}",
    }],
  },
  {
    title: "Publish latency",
    description: "From handing a batch to the event log to its acknowledgement, by log system.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ms",
    queries: latencyQueries("analytics_ingest_publish_duration_ms", "system"),
  },
  {
    title: "Publish batch size",
    description: "Mean records per publish to the event log, by log system.",
    source: "prometheus",
    kind: "timeseries",
    unit: "short",
    queries: [{
      expr: mean("analytics_ingest_publish_batch_records", "system"),
      legend: "mean {{system}}",
    }],
  },
];

const SINKS: PanelSpec[] = [
  {
    title: "Consumer lag per partition",
    description: "End offset minus the group's committed offset, per sink and partition.",
    source: "prometheus",
    kind: "timeseries",
    unit: "short",
    queries: [{
      expr: "max by (sink, partition) (analytics_sink_consumer_lag)",
      legend: "{{sink}} p{{partition}}",
    }],
  },
  {
    title: "Sink throughput",
    description: "Events written to each store per second, all replicas.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ops",
    queries: [{ expr: rateBy("analytics_sink_events_written_total", "sink"), legend: "{{sink}}" }],
  },
  {
    title: "Sink batch sizes",
    description: "Records per batch taken from the log: mean and p95, by sink.",
    source: "prometheus",
    kind: "timeseries",
    unit: "short",
    queries: [
      { expr: mean("analytics_sink_batch_records", "sink"), legend: "mean {{sink}}" },
      { expr: quantile(0.95, "analytics_sink_batch_records", "sink"), legend: "p95 {{sink}}" },
    ],
  },
  {
    title: "Store write latency",
    description: "One durable store write: the PostgreSQL transaction, the Delta commit.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ms",
    queries: latencyQueries("analytics_sink_store_write_duration_ms", "sink"),
  },
  {
    title: "Offset commit latency",
    description: "One consumer-group offset commit, after the store took the batch.",
    source: "prometheus",
    kind: "timeseries",
    unit: "ms",
    queries: latencyQueries("analytics_sink_offset_commit_duration_ms", "sink"),
  },
  {
    title: "Dead letters",
    description: "Records sent to the dead-letter topic per second (undecodable or invalid).",
    source: "prometheus",
    kind: "timeseries",
    unit: "ops",
    queries: [{ expr: rateBy("analytics_sink_dead_lettered_total", "sink"), legend: "{{sink}}" }],
  },
];

const EVENTS: PanelSpec[] = [{
  title: "Recent events with traces",
  description: "The latest 50 events in the hot store. A trace id opens the event's trace in " +
    "Tempo: the client's own when it sent one, else the ingest's publish trace, which each " +
    "sink's consume, write and commit spans join.",
  kind: "table",
  format: "table",
  sql: `SELECT "timestamp" AS time, received_at, channel, event_type, source, session_id,
  event_id, trace_id
FROM analytics_events
WHERE $__timeFilter("timestamp")
ORDER BY "timestamp" DESC
LIMIT 50`,
  columns: [
    "time",
    "received_at",
    "channel",
    "event_type",
    "source",
    "session_id",
    "event_id",
    "trace_id",
  ],
  traceIdColumn: "trace_id",
  width: 24,
  height: 10,
}];

/** The pipeline-health dashboard. */
export const PIPELINE_HEALTH: DashboardSpec = {
  uid: "analytics-pipeline-health",
  title: "Pipeline health",
  description: "Ingest rate, rejections, publish latency, consumer lag, sink throughput, batch " +
    "sizes, commit latency, dead letters; recent events linked to their traces.",
  tags: ["analytics", "pipeline"],
  file: "analytics-pipeline-health.json",
  sections: [
    { title: "Now", panels: SUMMARY },
    { title: "Ingest", panels: INGEST },
    { title: "Sinks", panels: SINKS },
    { title: "Events", panels: EVENTS },
  ],
};
