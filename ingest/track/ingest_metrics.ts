import {
  type Counter,
  type Histogram,
  LATENCY_BUCKETS_MS,
  type MetricsRegistry,
  SIZE_BUCKETS,
} from "../observability/metrics_registry.ts";

/** The ingest's counters and histograms (names in docs/observability.md). */
export interface IngestMetrics {
  /** Events in Track/TrackStream/POST /analytics calls, by channel. */
  received: Counter;
  /** Events the log stored, by channel. */
  accepted: Counter;
  /** Events rejected by validation, by channel and reason (the offending field). */
  rejected: Counter;
  /** Events not stored (rate limited or log failure), by channel and reason. */
  notStored: Counter;
  /** Events a privacy signal changed, by signal (gpc, dnt) and action (anonymised, dropped). */
  consent: Counter;
  /** Milliseconds one publish of a batch took, by log system and outcome. */
  publishLatency: Histogram;
  /** Records per publish. */
  publishBatchSize: Histogram;
}

/** Registers the ingest's metrics in `registry`. */
export function createIngestMetrics(registry: MetricsRegistry): IngestMetrics {
  return {
    received: registry.counter("analytics_ingest_events_received_total", "Events received."),
    accepted: registry.counter(
      "analytics_ingest_events_accepted_total",
      "Events accepted (durably in the event log).",
    ),
    rejected: registry.counter(
      "analytics_ingest_events_rejected_total",
      "Events rejected by validation (never retried), by the offending field.",
    ),
    notStored: registry.counter(
      "analytics_ingest_events_not_stored_total",
      "Events not stored (rate_limited, overloaded or log_unavailable); the client retries them.",
    ),
    consent: registry.counter(
      "analytics_ingest_events_consent_total",
      "Events under a privacy signal (gpc, dnt) that were anonymised (and stored) or dropped " +
        "(answered accepted, never stored).",
    ),
    publishLatency: registry.histogram(
      "analytics_ingest_publish_duration_ms",
      "Milliseconds from handing a batch to the event log to its acknowledgement.",
      LATENCY_BUCKETS_MS,
    ),
    publishBatchSize: registry.histogram(
      "analytics_ingest_publish_batch_records",
      "Records per publish to the event log.",
      SIZE_BUCKETS,
    ),
  };
}

/**
 * The bounded `reason` label of a rejection: the violation's field path without the
 * `events[i]` prefix or list indices (e.g. `event_id`, `web.page_url`), or `event` for the
 * whole event (its size).
 */
export function rejectionReason(field: string): string {
  const path = field.replace(/^events\[\d+\]\.?/, "").replace(/\[\d+\]/g, "[]");
  return path === "" ? "event" : path;
}
