import type { OutgoingRecord, RecordPosition } from "./record.ts";

/** The outcome of publishing one record: stored at a position, or failed with a cause. */
export type PublishOutcome =
  | { ok: true; position: RecordPosition }
  | { ok: false; error: Error };

/**
 * Appends records to a partitioned, durable log (Kafka or the embedded local log).
 *
 * `publish` resolves once every record is either durably stored (acknowledged by the broker
 * with acks=all, or written per the local log's fsync policy) or has failed; it never reports a
 * record as stored before that. It does not throw for per-record failures.
 */
export interface Publisher {
  /** Publishes records to `topic`, one outcome per record in input order. */
  publish(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]>;
  /** True when the log can take records now (for readiness checks). */
  isReady(): Promise<boolean>;
  /** Flushes what is in flight and releases connections and files. */
  close(): Promise<void>;
}
