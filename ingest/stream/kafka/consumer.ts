import kafkajs from "kafkajs";
import type { Consumer } from "../consumer.ts";
import type { ConsumedRecord } from "../record.ts";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KafkaConnectionOptions,
} from "./options.ts";

/** Options of the Kafka consumer; defaults in brackets. */
export interface KafkaConsumerOptions extends KafkaConnectionOptions {
  /** Consumer group id. */
  groupId: string;
  /** The topic to read. */
  topic: string;
  /** Group session timeout [10000]; tests use a few seconds so a dead member leaves fast. */
  sessionTimeoutMs?: number;
  /** Records read ahead of `poll` before fetching pauses [5000]. */
  maxBufferedRecords?: number;
  /** Where a partition without a committed offset starts: earliest [true] or latest. */
  fromBeginning?: boolean;
}

type KafkaJsConsumer = ReturnType<InstanceType<typeof kafkajs.Kafka>["consumer"]>;
type KafkaJsMessage = Parameters<
  NonNullable<Parameters<KafkaJsConsumer["run"]>[0]>["eachBatch"] & object
>[0]["batch"]["messages"][number];

/**
 * A consumer-group member with a pull-style `poll` over the client's push loop: fetched
 * records wait in a bounded buffer, and fetching pauses (with heartbeats) while it is full.
 * Offsets are committed only by `commit`.
 */
export class KafkaConsumer implements Consumer {
  readonly #consumer: KafkaJsConsumer;
  readonly #topic: string;
  readonly #maxBuffered: number;
  #buffer: ConsumedRecord[] = [];
  #assigned: number[] = [];
  #seekGeneration = new Map<number, number>();
  #wakeReaders: (() => void)[] = [];
  #wakeFetcher: (() => void)[] = [];
  #failure: Error | undefined;
  #closed = false;

  private constructor(consumer: KafkaJsConsumer, options: KafkaConsumerOptions) {
    this.#consumer = consumer;
    this.#topic = options.topic;
    this.#maxBuffered = options.maxBufferedRecords ?? 5_000;
  }

  /** Connects, joins the group, subscribes to `options.topic` and starts fetching. */
  static async connect(options: KafkaConsumerOptions): Promise<KafkaConsumer> {
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
    const kafka = new kafkajs.Kafka({
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      brokers: options.brokers,
      requestTimeout: Math.max(requestTimeout, 30_000),
      connectionTimeout: Math.min(requestTimeout, 3_000),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout,
      heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 5)),
      rebalanceTimeout: Math.max(sessionTimeout, 10_000),
      maxWaitTimeInMs: 500,
      retry: { retries: 5 },
    });
    const self = new KafkaConsumer(consumer, options);
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      self.#assigned = [...(event.payload.memberAssignment[options.topic] ?? [])].sort((a, b) =>
        a - b
      );
      self.#buffer = [];
    });
    // kafkajs restarts itself after retriable errors (e.g. the group coordinator still loading);
    // only a crash it gives up on is the caller's problem.
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      self.#failure = event.payload.error;
      self.#wake();
    });
    await consumer.connect();
    try {
      await consumer.subscribe({
        topic: options.topic,
        fromBeginning: options.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => self.#take(payload),
      });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    return self;
  }

  /** Returns up to `maxRecords` records, waiting at most `maxWaitMs` for the first one. */
  async poll(options: { maxRecords: number; maxWaitMs: number }): Promise<ConsumedRecord[]> {
    if (this.#buffer.length === 0 && !this.#closed && !this.#failure) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.maxWaitMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wakeReaders.push(done);
      });
    }
    if (this.#failure) throw this.#failure;
    const records = this.#buffer.splice(0, options.maxRecords);
    this.#wakeAll(this.#wakeFetcher);
    return records;
  }

  /** Commits, per partition, the offset of the next record to read. */
  async commit(nextOffsets: Map<number, bigint>): Promise<void> {
    if (nextOffsets.size === 0) return;
    await this.#consumer.commitOffsets(
      [...nextOffsets].map(([partition, offset]) => ({
        topic: this.#topic,
        partition,
        offset: offset.toString(),
      })),
    );
  }

  /** Moves the read position of an assigned partition; the next poll reads from `offset`. */
  seek(partition: number, offset: bigint): void {
    this.#seekGeneration.set(partition, (this.#seekGeneration.get(partition) ?? 0) + 1);
    this.#buffer = this.#buffer.filter((record) => record.partition !== partition);
    this.#consumer.seek({ topic: this.#topic, partition, offset: offset.toString() });
    this.#wakeAll(this.#wakeFetcher);
  }

  /** Partitions currently assigned to this member. */
  assignment(): number[] {
    return [...this.#assigned];
  }

  /** Leaves the group and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake();
    await this.#consumer.disconnect();
  }

  async #take(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: Parameters<
      NonNullable<Parameters<KafkaJsConsumer["run"]>[0]>["eachBatch"] & object
    >[0],
  ): Promise<void> {
    const partition = batch.partition;
    const generation = this.#seekGeneration.get(partition) ?? 0;
    const current = () =>
      isRunning() && !isStale() && !this.#closed &&
      (this.#seekGeneration.get(partition) ?? 0) === generation;
    for (const message of batch.messages) {
      while (this.#buffer.length >= this.#maxBuffered && current()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 1_000);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          this.#wakeFetcher.push(done);
        });
        await heartbeat();
      }
      if (!current()) return;
      this.#buffer.push(toRecord(batch.topic, partition, message));
      resolveOffset(message.offset);
      this.#wakeAll(this.#wakeReaders);
    }
    await heartbeat();
  }

  #wake(): void {
    this.#wakeAll(this.#wakeReaders);
    this.#wakeAll(this.#wakeFetcher);
  }

  #wakeAll(waiters: (() => void)[]): void {
    for (const wake of waiters.splice(0)) wake();
  }
}

function toRecord(topic: string, partition: number, message: KafkaJsMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  }
  const value = message.value ?? new Uint8Array();
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key ? message.key.toString() : "",
    value: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    headers,
    timestamp: Number(message.timestamp),
  };
}
