/**
 * `Publisher` over the embedded log. Group commit: publish calls queue up; one loop takes
 * everything queued, appends it per partition (one write each) and fsyncs the touched
 * partitions in parallel, then resolves those calls. Calls arriving meanwhile form the next batch.
 */
import type { OutgoingRecord } from "../record.ts";
import type { Publisher, PublishOutcome } from "../publisher.ts";
import { partitionOf } from "../partitioner.ts";
import { frameSize } from "./frame.ts";
import { assertValidName, partitionDir } from "./layout.ts";
import type { ResolvedLocalLogOptions } from "./options.ts";
import { MAX_FRAME_BODY_BYTES } from "./options.ts";
import { PartitionWriter } from "./partition_writer.ts";
import { ensureTopic } from "./topic_meta.ts";
import type { AppendSignal } from "./append_signal.ts";
import type { WriterLock } from "./writer_lock.ts";

interface QueuedCall {
  topic: string;
  records: OutgoingRecord[];
  outcomes: (PublishOutcome | undefined)[];
  resolve: (outcomes: PublishOutcome[]) => void;
}

/** Appends to local partitioned segment files; the only writer of its log folder. */
export class LocalPublisher implements Publisher {
  #queue: QueuedCall[] = [];
  #draining: Promise<void> | undefined;
  #topics = new Map<string, PartitionWriter[]>();
  #closed = false;
  #retentionDue = false;
  #rollsSeen = 0;
  #retentionTimer: number;

  /** Use `LocalLog.publisher()`; this takes over an already acquired writer lock. */
  constructor(
    private readonly options: ResolvedLocalLogOptions,
    private readonly lock: WriterLock,
    private readonly signal: AppendSignal,
  ) {
    // Deno's setInterval returns a number; the Node typings in scope say otherwise.
    this.#retentionTimer = setInterval(() => {
      this.#retentionDue = true;
      this.#kick();
    }, options.retention.checkIntervalMs) as unknown as number;
    Deno.unrefTimer(this.#retentionTimer);
  }

  /** Publishes records to `topic`; resolves after they are appended (and fsynced by default). */
  publish(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    const outcomes: (PublishOutcome | undefined)[] = records.map((record) =>
      this.#reject(topic, record)
    );
    if (outcomes.every((outcome) => outcome !== undefined) || records.length === 0) {
      return Promise.resolve(outcomes as PublishOutcome[]);
    }
    return new Promise((resolve) => {
      this.#queue.push({ topic, records, outcomes, resolve });
      this.#kick();
    });
  }

  /** True while the publisher is open. */
  isReady(): Promise<boolean> {
    return Promise.resolve(!this.#closed);
  }

  /** Finishes queued publishes, fsyncs and closes every segment and releases the writer lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#retentionTimer);
    await this.#draining;
    try {
      for (const writers of this.#topics.values()) {
        for (const writer of writers) await writer.close();
      }
    } finally {
      this.#topics.clear();
      this.lock.release();
    }
  }

  /** Applies retention to every open partition now (it also runs after rolls and on a timer). */
  async enforceRetention(now: number = Date.now()): Promise<number> {
    await this.#draining;
    let deleted = 0;
    for (const writers of this.#topics.values()) {
      for (const writer of writers) deleted += await writer.applyRetention(now);
    }
    return deleted;
  }

  #reject(topic: string, record: OutgoingRecord): PublishOutcome | undefined {
    if (this.#closed) return { ok: false, error: new Error("the local log publisher is closed") };
    try {
      assertValidName("topic", topic);
      const size = frameSize(record);
      if (size > this.options.maxRecordBytes) {
        throw new RangeError(
          `record of ${size} bytes exceeds the local log's maxRecordBytes ${this.options.maxRecordBytes}`,
        );
      }
    } catch (error) {
      return { ok: false, error: error as Error };
    }
    return undefined;
  }

  #kick(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Calls queued between the loop's last check and this callback start the next round.
      if (this.#queue.length > 0 || this.#retentionDue) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#retentionDue) {
      const batch = this.#queue.splice(0);
      if (batch.length > 0) await this.#appendBatch(batch);
      if (this.#retentionDue) await this.#runRetention();
    }
  }

  async #appendBatch(batch: QueuedCall[]): Promise<void> {
    const timestamp = Date.now();
    const byTopic = Map.groupBy(batch, (call) => call.topic);
    await Promise.all(
      [...byTopic].map(([topic, calls]) => this.#appendTopic(topic, calls, timestamp)),
    );
    this.signal.notify();
    for (const call of batch) call.resolve(call.outcomes as PublishOutcome[]);
  }

  async #appendTopic(topic: string, calls: QueuedCall[], timestamp: number): Promise<void> {
    const fail = (error: Error) => {
      for (const call of calls) {
        call.outcomes.forEach((outcome, i) => (call.outcomes[i] = outcome ?? { ok: false, error }));
      }
    };
    let writers: PartitionWriter[];
    try {
      writers = await this.#openTopic(topic);
    } catch (error) {
      return fail(
        new Error(`local log: cannot open topic ${topic}: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
    const byPartition = new Map<number, { call: QueuedCall; index: number }[]>();
    for (const call of calls) {
      call.records.forEach((record, index) => {
        if (call.outcomes[index]) return;
        const partition = partitionOf(record.key, writers.length);
        const list = byPartition.get(partition) ?? [];
        list.push({ call, index });
        byPartition.set(partition, list);
      });
    }
    await Promise.all([...byPartition].map(async ([partition, entries]) => {
      const writer = writers[partition];
      try {
        const first = await writer.append(
          entries.map(({ call, index }) => call.records[index]),
          timestamp,
        );
        entries.forEach(({ call, index }, i) => {
          call.outcomes[index] = { ok: true, position: { partition, offset: first + BigInt(i) } };
        });
        this.signal.setDurableEnd(topic, partition, writer.nextOffset);
      } catch (cause) {
        const error = new Error(
          `local log: append to ${topic}/${partition} failed: ${(cause as Error).message}`,
          { cause },
        );
        for (const { call, index } of entries) call.outcomes[index] = { ok: false, error };
      }
    }));
    const rolls = writers.reduce((sum, writer) => sum + writer.rolls, 0);
    if (rolls !== this.#rollsSeen) this.#retentionDue = true;
    this.#rollsSeen = rolls;
  }

  async #openTopic(topic: string): Promise<PartitionWriter[]> {
    const open = this.#topics.get(topic);
    if (open) return open;
    const { dir } = this.options;
    const partitions = await ensureTopic(dir, topic, this.options.partitions);
    const writers: PartitionWriter[] = [];
    try {
      for (let partition = 0; partition < partitions; partition++) {
        const { writer, recovery } = await PartitionWriter.open(
          partitionDir(dir, topic, partition),
          {
            segmentBytes: this.options.segmentBytes,
            maxBodyBytes: MAX_FRAME_BODY_BYTES,
            fsync: this.options.fsync === "always",
            retention: this.options.retention,
          },
        );
        writers.push(writer);
        this.signal.setDurableEnd(topic, partition, writer.nextOffset);
        if (recovery) {
          this.options.log("local log: cut a torn tail", { topic, partition, ...recovery });
        }
      }
    } catch (error) {
      await Promise.allSettled(writers.map((writer) => writer.close()));
      throw error;
    }
    this.#topics.set(topic, writers);
    return writers;
  }

  async #runRetention(): Promise<void> {
    this.#retentionDue = false;
    for (const [topic, writers] of this.#topics) {
      for (const [partition, writer] of writers.entries()) {
        try {
          await writer.applyRetention();
        } catch (error) {
          this.options.log("local log: retention failed", {
            topic,
            partition,
            error: (error as Error).message,
          });
        }
      }
    }
  }
}
