import { Buffer } from "node:buffer";
import { type MessageToProduce, Producer } from "@platformatic/kafka";
import type { Publisher, PublishOutcome } from "../publisher.ts";
import type { OutgoingRecord } from "../record.ts";
import { partitionOf } from "../partitioner.ts";
import { withDeadline } from "./deadline.ts";
import { LingerQueue } from "./linger_queue.ts";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KafkaCompression,
  type KafkaConnectionOptions,
} from "./options.ts";

/** Options of the Kafka publisher; defaults in brackets. */
export interface KafkaPublisherOptions extends KafkaConnectionOptions {
  /** Batch compression [gzip] (`KAFKA_COMPRESSION`). */
  compression?: KafkaCompression;
  /** How long concurrent publishes wait to share one produce request [5] (`KAFKA_LINGER_MS`). */
  lingerMs?: number;
  /** Records that make a batch go out before the linger ends [2000]. */
  maxBatchRecords?: number;
}

type Message = MessageToProduce<Buffer, Buffer, Buffer, Buffer>;

/**
 * Publishes to Kafka with an idempotent producer (acks=all), on the partition `partitionOf`
 * picks for the record key among the topic's partitions, so Kafka and the embedded log agree.
 * A record is reported stored only once the broker acknowledged it; when the broker cannot be
 * reached within `requestTimeoutMs`, every record of the batch is reported not stored.
 */
export class KafkaPublisher implements Publisher {
  readonly #producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #queue: LingerQueue<OutgoingRecord, PublishOutcome>;
  readonly #partitionCounts = new Map<string, number>();
  readonly #timeoutMs: number;
  #closed = false;

  /** Makes a publisher; it connects on the first publish. */
  constructor(options: KafkaPublisherOptions) {
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#producer = new Producer({
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      bootstrapBrokers: options.brokers,
      idempotent: true,
      acks: -1,
      compression: options.compression ?? "gzip",
      autocreateTopics: false,
      timeout: this.#timeoutMs,
      connectTimeout: Math.min(this.#timeoutMs, 3_000),
      retries: 3,
      retryDelay: Math.max(50, Math.floor(this.#timeoutMs / 10)),
    });
    this.#queue = new LingerQueue(
      (topic, records) => this.#send(topic, records),
      options.lingerMs ?? 5,
      options.maxBatchRecords ?? 2_000,
      // The idempotent producer has one produce request out per broker connection: records
      // arriving meanwhile join the next request instead of queueing as requests of their own.
      1,
    );
  }

  /** Publishes records to `topic`, one outcome per record in input order. */
  publish(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    if (this.#closed) {
      const error = new Error("the Kafka publisher is closed");
      return Promise.resolve(records.map(() => ({ ok: false as const, error })));
    }
    if (records.length === 0) return Promise.resolve([]);
    return this.#queue.add(topic, records);
  }

  /** True when the broker answers a metadata request within the request timeout. */
  async isReady(): Promise<boolean> {
    try {
      await withDeadline(
        this.#producer.metadata({ topics: [], forceUpdate: true }),
        this.#timeoutMs,
        "Kafka metadata request",
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Sends what is waiting, waits for outstanding acknowledgements, and disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.drain();
    await this.#producer.close();
  }

  async #send(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    try {
      return await withDeadline(
        this.#sendNow(topic, records),
        this.#timeoutMs,
        `Kafka acknowledgement of ${records.length} records on ${topic}`,
      );
    } catch (cause) {
      this.#partitionCounts.delete(topic);
      const error = cause instanceof Error ? cause : new Error(String(cause));
      return records.map(() => ({ ok: false as const, error }));
    }
  }

  async #sendNow(topic: string, records: OutgoingRecord[]): Promise<PublishOutcome[]> {
    const partitions = await this.#partitionCount(topic);
    const messages: Message[] = records.map((record) => ({
      topic,
      key: Buffer.from(record.key),
      value: Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
      headers: encodedHeaders(record.headers),
      partition: partitionOf(record.key, partitions),
    }));
    const result = await this.#producer.send({ messages });
    const baseOffsets = new Map<number, bigint>();
    for (const acked of result.offsets ?? []) {
      if (acked.topic === topic) baseOffsets.set(acked.partition, acked.offset);
    }
    const nextIndex = new Map<number, bigint>();
    return messages.map((message): PublishOutcome => {
      const partition = message.partition!;
      const base = baseOffsets.get(partition);
      if (base === undefined) {
        return {
          ok: false,
          error: new Error(`the broker acknowledged no offset for ${topic} partition ${partition}`),
        };
      }
      const index = nextIndex.get(partition) ?? 0n;
      nextIndex.set(partition, index + 1n);
      return { ok: true, position: { partition, offset: base + index } };
    });
  }

  /** The topic's partition count from broker metadata (cached; forgotten after a failure). */
  async #partitionCount(topic: string): Promise<number> {
    const known = this.#partitionCounts.get(topic);
    if (known !== undefined) return known;
    const metadata = await this.#producer.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount;
    if (!count) throw new Error(`Kafka topic ${topic} does not exist (run ensureTopics first)`);
    this.#partitionCounts.set(topic, count);
    return count;
  }
}

/**
 * Encoded header maps by headers object, for frozen ones only (a frozen object cannot change
 * under the cache): the ingest gives a batch's records one shared, frozen object.
 */
const headerCache = new WeakMap<Record<string, string>, Map<Buffer, Buffer>>();

/** The record headers as the Kafka client takes them, encoded once per headers object. */
function encodedHeaders(headers: Record<string, string>): Map<Buffer, Buffer> {
  let encoded = headerCache.get(headers);
  if (encoded === undefined) {
    encoded = new Map(
      Object.entries(headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
    );
    if (Object.isFrozen(headers)) headerCache.set(headers, encoded);
  }
  return encoded;
}
