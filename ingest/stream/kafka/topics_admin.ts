import { Admin } from "@platformatic/kafka";
import { DEFAULT_PARTITIONS, EVENTS_TOPIC } from "../topics.ts";
import { withDeadline } from "./deadline.ts";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KafkaConnectionOptions,
} from "./options.ts";

/** Default retention of the event topic: 7 days, enough to replay a sink outage. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Default retention of the dead-letter topic: 30 days, time for a person to look at it. */
export const DEFAULT_DEAD_LETTER_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Options of `ensureTopics`; defaults in brackets. */
export interface EnsureTopicsOptions extends KafkaConnectionOptions {
  /** The event topic [analytics.events.v1]; its dead letters go to `<topic>.dlq`. */
  topic?: string;
  /** Partitions of both topics [6] (`KAFKA_TOPIC_PARTITIONS`). */
  partitions?: number;
  /** `retention.ms` of the event topic [7 days]. */
  retentionMs?: number;
  /** `retention.ms` of the dead-letter topic [30 days]. */
  deadLetterRetentionMs?: number;
}

/**
 * Creates the event topic and its dead-letter topic when missing (idempotent; safe to race).
 * An existing topic with another partition count is an error: changing it would move keys to
 * other partitions, so that is a deliberate operation, not a start-up side effect.
 */
export async function ensureTopics(options: EnsureTopicsOptions): Promise<void> {
  const topic = options.topic ?? EVENTS_TOPIC;
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const wanted = new Map([
    [topic, options.retentionMs ?? DEFAULT_RETENTION_MS],
    [`${topic}.dlq`, options.deadLetterRetentionMs ?? DEFAULT_DEAD_LETTER_RETENTION_MS],
  ]);
  const admin = new Admin({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    bootstrapBrokers: options.brokers,
    timeout: timeoutMs,
    retries: 3,
    retryDelay: 200,
  });
  try {
    const existing = new Set(await withDeadline(admin.listTopics(), timeoutMs, "Kafka listTopics"));
    for (const [name, retentionMs] of wanted) {
      if (existing.has(name)) continue;
      try {
        await admin.createTopics({
          topics: [name],
          partitions,
          replicas: -1,
          configs: [{ name: "retention.ms", value: String(retentionMs) }],
        });
      } catch (error) {
        if (!isTopicExists(error)) throw error;
      }
    }
    const metadata = await admin.metadata({ topics: [...wanted.keys()], forceUpdate: true });
    for (const name of wanted.keys()) {
      const count = metadata.topics.get(name)?.partitionsCount;
      if (count !== partitions) {
        throw new Error(
          `Kafka topic ${name} has ${count} partitions, KAFKA_TOPIC_PARTITIONS says ${partitions}`,
        );
      }
    }
  } finally {
    await admin.close();
  }
}

/** Deletes topics (tests clean up after themselves with it). */
export async function deleteTopics(
  options: KafkaConnectionOptions,
  topics: string[],
): Promise<void> {
  const admin = new Admin({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    bootstrapBrokers: options.brokers,
  });
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.close();
  }
}

/** True for Kafka's TOPIC_ALREADY_EXISTS (error code 36), which a concurrent creator causes. */
function isTopicExists(error: unknown): boolean {
  const text = JSON.stringify(error, (_k, v) => typeof v === "bigint" ? String(v) : v) +
    String(error);
  return /TOPIC_ALREADY_EXISTS|already exists|"errorCode":36/i.test(text);
}
