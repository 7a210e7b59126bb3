/** Compression codecs the publisher can ask for (gzip is the default: see docs/kafka.md). */
export type KafkaCompression = "none" | "gzip" | "snappy" | "lz4" | "zstd";

/** Connection settings shared by the Kafka publisher, consumer and topic admin. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers as `host:port` (from `KAFKA_BROKERS`). */
  brokers: string[];
  /** Client id shown in broker logs and quotas (from `KAFKA_CLIENT_ID`). */
  clientId?: string;
  /** Upper bound, in ms, on one request or publish, retries included (`KAFKA_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs?: number;
}

/** Default client id when none is configured. */
export const DEFAULT_CLIENT_ID = "analytics-ingest";

/** Default bound on a publish or admin request: long enough for a leader move, short enough for a client. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
