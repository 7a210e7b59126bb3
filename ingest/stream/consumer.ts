import type { ConsumedRecord } from "./record.ts";

/**
 * Reads a topic as a member of a consumer group (Kafka, or the embedded log's equivalent).
 *
 * Offsets are committed only by `commit`, after the caller has durably stored what it read.
 * A restarted consumer resumes from the last committed offset of each assigned partition, or
 * from a position given to `seek` (the lake sink resumes from its Delta `txn` versions).
 */
export interface Consumer {
  /** Returns up to `maxRecords` records, waiting at most `maxWaitMs` for the first one. */
  poll(options: { maxRecords: number; maxWaitMs: number }): Promise<ConsumedRecord[]>;
  /** Commits, per partition, the offset of the next record to read. */
  commit(nextOffsets: Map<number, bigint>): Promise<void>;
  /** Moves the read position of an assigned partition; the next poll reads from `offset`. */
  seek(partition: number, offset: bigint): void;
  /** Partitions currently assigned to this member. */
  assignment(): number[];
  /** Leaves the group and releases connections and files. */
  close(): Promise<void>;
}
