/**
 * `Consumer` over the embedded log. One member per group at a time: it is assigned every
 * partition of its topic. It reads from the committed (or sought) offsets, and waits for new
 * records on the in-process publisher's signal or, for a writer in another process, by looking
 * at the files every `pollIntervalMs`.
 */
import type { Consumer } from "../consumer.ts";
import type { ConsumedRecord } from "../record.ts";
import type { AppendSignal } from "./append_signal.ts";
import { GroupOffsets } from "./group_offsets.ts";
import { assertValidName, partitionDir } from "./layout.ts";
import type { ResolvedLocalLogOptions } from "./options.ts";
import { PartitionReader } from "./partition_reader.ts";
import { readPartitionCount } from "./topic_meta.ts";

/** Options of one consumer: the topic it reads and the group whose offsets it uses. */
export interface LocalConsumerOptions {
  topic: string;
  group: string;
}

/** Reads a topic of the embedded log as the only member of a consumer group. */
export class LocalConsumer implements Consumer {
  #positions = new Map<number, bigint>();
  #readers = new Map<number, PartitionReader>();
  #nextPartition = 0;
  #closed = false;

  private constructor(
    private readonly options: ResolvedLocalLogOptions,
    private readonly topic: string,
    private readonly offsets: GroupOffsets,
    private readonly partitions: number,
    private readonly signal: AppendSignal,
  ) {
    for (let partition = 0; partition < partitions; partition++) {
      this.#positions.set(partition, offsets.get(partition) ?? 0n);
      this.#readers.set(
        partition,
        new PartitionReader(partitionDir(options.dir, topic, partition)),
      );
    }
  }

  /** Use `LocalLog.consumer()`; loads the group's committed offsets. */
  static async open(
    options: ResolvedLocalLogOptions,
    consumer: LocalConsumerOptions,
    signal: AppendSignal,
  ): Promise<LocalConsumer> {
    assertValidName("topic", consumer.topic);
    assertValidName("group", consumer.group);
    const partitions = (await readPartitionCount(options.dir, consumer.topic)) ??
      options.partitions;
    const offsets = await GroupOffsets.load(options.dir, consumer.group, consumer.topic);
    return new LocalConsumer(options, consumer.topic, offsets, partitions, signal);
  }

  /** Returns up to `maxRecords` records, waiting at most `maxWaitMs` for the first one. */
  async poll(options: { maxRecords: number; maxWaitMs: number }): Promise<ConsumedRecord[]> {
    this.#assertOpen();
    const deadline = Date.now() + options.maxWaitMs;
    while (true) {
      const records = await this.#readAvailable(options.maxRecords);
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0 || this.#closed) return records;
      await this.signal.wait(Math.min(left, this.options.pollIntervalMs));
    }
  }

  /** Durably stores, per partition, the offset of the next record to read. */
  async commit(nextOffsets: Map<number, bigint>): Promise<void> {
    this.#assertOpen();
    for (const partition of nextOffsets.keys()) this.#assertAssigned(partition);
    await this.offsets.commit(nextOffsets);
  }

  /** The next poll reads `partition` from `offset`. */
  seek(partition: number, offset: bigint): void {
    this.#assertOpen();
    this.#assertAssigned(partition);
    if (offset < 0n) throw new RangeError(`seek offset must be >= 0, got ${offset}`);
    this.#positions.set(partition, offset);
  }

  /** Every partition of the topic: the local log has one member per group. */
  assignment(): number[] {
    return [...this.#positions.keys()];
  }

  /** Closes the segment files; committed offsets stay on disk. */
  close(): Promise<void> {
    this.#closed = true;
    for (const reader of this.#readers.values()) reader.close();
    return Promise.resolve();
  }

  async #readAvailable(maxRecords: number): Promise<ConsumedRecord[]> {
    const out: ConsumedRecord[] = [];
    // Start at a rotating partition so a busy partition cannot starve the others.
    for (let i = 0; i < this.partitions && out.length < maxRecords; i++) {
      const partition = (this.#nextPartition + i) % this.partitions;
      const from = this.#positions.get(partition)!;
      const end = this.signal.durableEnd(this.topic, partition);
      const records = await this.#readers.get(partition)!.read(from, maxRecords - out.length, end);
      for (const { offset, timestamp, key, headers, value } of records) {
        out.push({ topic: this.topic, partition, offset, key, value, headers, timestamp });
      }
      if (records.length > 0) {
        this.#positions.set(partition, records[records.length - 1].offset + 1n);
      }
    }
    this.#nextPartition = (this.#nextPartition + 1) % this.partitions;
    return out;
  }

  #assertAssigned(partition: number): void {
    if (!this.#positions.has(partition)) {
      throw new RangeError(
        `partition ${partition} is not assigned (topic ${this.topic} has ${this.partitions})`,
      );
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("the local log consumer is closed");
  }
}
