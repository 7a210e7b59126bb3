/** Notices partitions newly assigned to the consumer and moves them to the store's positions. */
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import type { SinkStore } from "./sink_store.ts";

/** What changed in the assignment since the last look. */
export interface AssignmentChange {
  assigned: number[];
  revoked: number[];
  /** Partitions moved to a position the store recorded (records read before it are stale). */
  sought: Map<number, bigint>;
}

/**
 * Tracks the consumer's assignment. On every newly assigned partition, asks the store where to
 * resume (when it records positions, like the lake's `txn` actions) and seeks there.
 */
export class AssignmentTracker {
  #known = new Set<number>();

  /** Creates a tracker over `consumer` for `store`. */
  constructor(private readonly consumer: Consumer, private readonly store: SinkStore) {}

  /** Partitions assigned at the last look. */
  get assigned(): ReadonlySet<number> {
    return this.#known;
  }

  /** Compares the assignment with the last look; seeks new partitions to the store's positions. */
  async refresh(): Promise<AssignmentChange> {
    const current = new Set(this.consumer.assignment());
    const assigned = [...current].filter((p) => !this.#known.has(p));
    const revoked = [...this.#known].filter((p) => !current.has(p));
    const sought = new Map<number, bigint>();
    if (assigned.length > 0 && this.store.resumePositions) {
      const positions = await this.store.resumePositions(assigned);
      for (const [partition, offset] of positions) {
        if (!current.has(partition)) continue;
        this.consumer.seek(partition, offset);
        sought.set(partition, offset);
      }
    }
    this.#known = current;
    return { assigned, revoked, sought };
  }
}

/**
 * Drops records that must not be written after an assignment change: those of revoked
 * partitions (another member owns them now) and those of partitions just sought to a store
 * position (they were read from the group's offset, before the seek; the next polls re-read).
 */
export function dropStale(records: ConsumedRecord[], change: AssignmentChange): ConsumedRecord[] {
  if (change.revoked.length === 0 && change.sought.size === 0) return records;
  const revoked = new Set(change.revoked);
  return records.filter((r) => !revoked.has(r.partition) && !change.sought.has(r.partition));
}
