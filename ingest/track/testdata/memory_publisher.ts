/** An in-memory Publisher for unit tests: keeps what it is given, or fails on demand. */
import type { Publisher, PublishOutcome } from "../../stream/publisher.ts";
import type { OutgoingRecord } from "../../stream/record.ts";
import { partitionOf } from "../../stream/partitioner.ts";

/** What a MemoryPublisher received, and switches to make it fail. */
export class MemoryPublisher implements Publisher {
  readonly records: { topic: string; record: OutgoingRecord }[] = [];
  /** Fail every record of every publish call. */
  down = false;
  /** Fail the records whose index within a call this returns true for. */
  failRecord: (index: number) => boolean = () => false;
  /** Throw from publish instead of answering. */
  throwOnPublish = false;
  readonly #offsets = new Map<number, bigint>();

  publish(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    if (this.throwOnPublish) return Promise.reject(new Error("publisher closed"));
    return Promise.resolve(records.map((record, i): PublishOutcome => {
      if (this.down || this.failRecord(i)) {
        return { ok: false, error: new Error("broker unreachable: 127.0.0.1:9092") };
      }
      this.records.push({ topic, record });
      const partition = partitionOf(record.key, 6);
      const offset = this.#offsets.get(partition) ?? 0n;
      this.#offsets.set(partition, offset + 1n);
      return { ok: true, position: { partition, offset } };
    }));
  }

  isReady(): Promise<boolean> {
    return Promise.resolve(!this.down);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
