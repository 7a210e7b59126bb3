import type { Event } from "@analytics/schema";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";

/** One decoded event with the log record it came from. */
export interface DecodedRecord {
  event: Event;
  record: ConsumedRecord;
}

/** A batch handed to a store: decoded events, and the last offset read per partition. */
export interface SinkBatch {
  records: DecodedRecord[];
  /** Per partition, the offset of the last record of the batch (decodable or not). */
  lastOffsets: Map<number, bigint>;
}

/**
 * A store that a sink loads batches into (PostgreSQL, Delta Lake).
 *
 * `write` must be idempotent: the consume loop commits offsets only after `write` resolved, so a
 * crash between the two redelivers the batch, and writing it again must change nothing.
 */
export interface SinkStore {
  /** Name for logs and metrics, e.g. "timescale" or "delta". */
  readonly name: string;
  /**
   * Positions to resume from for newly assigned partitions (the next offset to read), when the
   * store itself records them (the lake's `txn` actions); partitions left out resume from the
   * consumer group's committed offsets.
   */
  resumePositions?(partitions: number[]): Promise<Map<number, bigint>>;
  /** Durably writes the batch; throws on failure (the loop retries transient errors). */
  write(batch: SinkBatch): Promise<void>;
  /** True when an error from `write` is worth retrying (connection lost, timeout, conflict). */
  isTransient(error: unknown): boolean;
  /** Releases connections. */
  close(): Promise<void>;
}
