import kafkajs from "kafkajs";
import type { Consumer } from "../stream/consumer.ts";
import { createKafkaAdmin } from "../stream/kafka/admin_client.ts";
import { withDeadline } from "../stream/kafka/deadline.ts";
import { createKafkaConsumer, createKafkaPublisher } from "../stream/kafka/mod.ts";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KafkaConnectionOptions,
} from "../stream/kafka/options.ts";
import type { Publisher } from "../stream/publisher.ts";
import { decodeEntry, encodeEntry, type SuppressionEntry } from "./suppression_entry.ts";
import type { SuppressionLog } from "./suppression_log.ts";

/** Topic configuration of a suppression topic: one record per id, kept forever. */
export const SUPPRESSION_TOPIC_CONFIGS = [
  { name: "cleanup.policy", value: "compact" },
  { name: "retention.ms", value: "-1" },
];

/**
 * Creates the suppression topic when missing: one partition (the list is small and read whole by
 * every replica), compacted, never expiring. Safe to race.
 */
export async function ensureSuppressionTopic(
  options: KafkaConnectionOptions,
  topic: string,
): Promise<void> {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const admin = createKafkaAdmin(options);
  try {
    const existing = await withDeadline(admin.listTopics(), timeoutMs, "Kafka listTopics");
    if (existing.includes(topic)) return;
    try {
      await admin.createTopics({
        topics: [topic],
        partitions: 1,
        replicas: -1,
        configs: SUPPRESSION_TOPIC_CONFIGS,
      });
    } catch (error) {
      if (!/TOPIC_ALREADY_EXISTS|already exists|"errorCode":36/i.test(describe(error))) throw error;
    }
  } finally {
    await admin.close();
  }
}

/**
 * The suppression list in a compacted Kafka topic, keyed by id. Each reader is a consumer group
 * of its own (`<clientId>-suppressions-<uuid>`, never committing), so every replica reads every
 * entry from the start; it is caught up once it has read to the end offsets seen when it opened.
 */
export class KafkaSuppressionLog implements SuppressionLog {
  #consumer: Consumer | undefined;
  #publisher: Publisher | undefined;
  readonly #next = new Map<number, bigint>();
  #ends: Map<number, bigint> | undefined;

  private constructor(
    private readonly options: KafkaConnectionOptions,
    private readonly topic: string,
  ) {}

  /** Ensures the topic, notes its end offsets and joins a reader group of its own. */
  static async open(options: KafkaConnectionOptions, topic: string): Promise<KafkaSuppressionLog> {
    await ensureSuppressionTopic(options, topic);
    const log = new KafkaSuppressionLog(options, topic);
    log.#ends = await endOffsets(options, topic);
    log.#consumer = await log.#connect();
    return log;
  }

  #connect(): Promise<Consumer> {
    return createKafkaConsumer({
      brokers: this.options.brokers,
      clientId: this.options.clientId,
      groupId: `${this.options.clientId ?? DEFAULT_CLIENT_ID}-suppressions-${crypto.randomUUID()}`,
      topic: this.topic,
      fromBeginning: true,
      sessionTimeoutMs: 6_000,
    });
  }

  async append(entries: readonly SuppressionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.#publisher ??= createKafkaPublisher({
      brokers: this.options.brokers,
      clientId: this.options.clientId,
      requestTimeoutMs: this.options.requestTimeoutMs,
    });
    const outcomes = await this.#publisher.publish(
      this.topic,
      entries.map((entry) => ({
        key: entry.id,
        value: new TextEncoder().encode(encodeEntry(entry)),
        headers: {},
      })),
    );
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed && !failed.ok) {
      throw new Error(`suppression entries not stored in ${this.topic}: ${failed.error.message}`);
    }
  }

  async readNew(): Promise<{ entries: SuppressionEntry[]; caughtUp: boolean }> {
    const consumer = this.#consumer;
    if (consumer === undefined) throw new Error("suppression log closed");
    let records;
    try {
      records = await consumer.poll({ maxRecords: 10_000, maxWaitMs: 200 });
    } catch (error) {
      // The client gave up (a long broker outage): read the whole list again with a new member
      // on the next call; entries are a set, so reading one twice changes nothing.
      this.#consumer = undefined;
      await consumer.close().catch(() => {});
      this.#next.clear();
      this.#consumer = await this.#connect();
      throw error;
    }
    const entries: SuppressionEntry[] = [];
    for (const record of records) {
      this.#next.set(record.partition, record.offset + 1n);
      // A compacted topic may hold tombstones (empty values); they name no entry.
      if (record.value.length === 0) continue;
      entries.push(decodeEntry(new TextDecoder().decode(record.value)));
    }
    const caughtUp = [...(this.#ends ?? new Map())].every(([partition, end]) =>
      (this.#next.get(partition) ?? 0n) >= end
    );
    return { entries, caughtUp };
  }

  async close(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await Promise.all([consumer?.close(), this.#publisher?.close()]);
  }
}

/** Per partition, the end offset (high watermark) of `topic`, for the catch-up check. */
async function endOffsets(
  options: KafkaConnectionOptions,
  topic: string,
): Promise<Map<number, bigint>> {
  const kafka = new kafkajs.Kafka({
    clientId: `${options.clientId ?? DEFAULT_CLIENT_ID}-suppressions`,
    brokers: options.brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      // An empty (or fully compacted-away) partition has nothing to wait for.
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

function describe(error: unknown): string {
  return JSON.stringify(error, (_k, v) => typeof v === "bigint" ? String(v) : v) + String(error);
}
