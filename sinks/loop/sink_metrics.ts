import {
  type Counter,
  type Gauge,
  type Histogram,
  LATENCY_BUCKETS_MS,
  type MetricsRegistry,
  SIZE_BUCKETS,
} from "../../ingest/observability/metrics_registry.ts";

/** A sink's counters, histograms and its consumer lag (names in docs/observability.md). */
export interface SinkMetrics {
  /** Records per batch taken from the log, by sink. */
  batchRecords: Histogram;
  /** Events written to the store, by sink. */
  written: Counter;
  /** Records sent to the dead-letter topic, by sink. */
  deadLettered: Counter;
  /** Milliseconds of one durable store write (PostgreSQL transaction, Delta commit), by sink. */
  storeWriteLatency: Histogram;
  /** Milliseconds of one offset commit, by sink. */
  commitLatency: Histogram;
  /** End offset of a partition minus the group's committed offset, by sink and partition. */
  lag: Gauge;
}

/** Registers a sink's metrics in `registry`. */
export function createSinkMetrics(registry: MetricsRegistry): SinkMetrics {
  return {
    batchRecords: registry.histogram(
      "analytics_sink_batch_records",
      "Records per batch a sink took from the event log.",
      SIZE_BUCKETS,
    ),
    written: registry.counter("analytics_sink_events_written_total", "Events written."),
    deadLettered: registry.counter(
      "analytics_sink_dead_lettered_total",
      "Records sent to the dead-letter topic (undecodable or invalid).",
    ),
    storeWriteLatency: registry.histogram(
      "analytics_sink_store_write_duration_ms",
      "Milliseconds of one durable store write (PostgreSQL transaction, Delta commit).",
      LATENCY_BUCKETS_MS,
    ),
    commitLatency: registry.histogram(
      "analytics_sink_offset_commit_duration_ms",
      "Milliseconds of one consumer-group offset commit.",
      LATENCY_BUCKETS_MS,
    ),
    lag: registry.gauge(
      "analytics_sink_consumer_lag",
      "Records in the log not yet committed by the sink's group (end offset minus committed).",
    ),
  };
}

/** Finds each partition's end offset (the offset the next record will get). */
export interface EndOffsetsProbe {
  /** Per partition asked for, its end offset. */
  endOffsets(partitions: number[]): Promise<Map<number, bigint>>;
}
