import { Admin } from "@platformatic/kafka";
import { DEFAULT_PARTITIONS, EVENTS_TOPIC } from "../topics.ts";
import { createKafkaAdmin } from "./admin_client.ts";
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
  /**
   * Also set `retention.ms` on topics that exist with another value [false]. The ingest, which
   * owns the topics' settings (KAFKA_RETENTION_MS, KAFKA_DLQ_RETENTION_MS), does; the sinks only
   * create missing topics.
   */
  enforceRetention?: boolean;
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
  const admin = createKafkaAdmin(options);
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
    if (options.enforceRetention) await alignRetention(admin, wanted, existing);
    const metadata = await metadataOnceKnown(admin, [...wanted.keys()], timeoutMs);
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

/**
 * The topics' metadata, asked again (every 200 ms, for at most `timeoutMs`) while the broker does
 * not know one of them yet: right after createTopics a loaded broker can answer "Unknown topic",
 * which made the ingest's first start fail (docs/faults.md).
 */
async function metadataOnceKnown(admin: Admin, topics: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      return await admin.metadata({ topics, forceUpdate: true });
    } catch (error) {
      const unknown = error instanceof Error && error.message.startsWith("Unknown topic");
      if (!unknown || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Kafka's config resource type of a topic, and the SET operation of IncrementalAlterConfigs. */
const TOPIC_RESOURCE = 2;
const SET_CONFIG = 0;

/** Sets `retention.ms` of the topics in `existing` whose value differs from the wanted one. */
async function alignRetention(
  admin: Admin,
  wanted: Map<string, number>,
  existing: Set<string>,
): Promise<void> {
  const names = [...wanted.keys()].filter((name) => existing.has(name));
  if (names.length === 0) return;
  const described = await admin.describeConfigs({
    resources: names.map((name) => ({
      resourceType: TOPIC_RESOURCE,
      resourceName: name,
      configurationKeys: ["retention.ms"],
    })),
  });
  const changes = described.flatMap((resource) => {
    const current = resource.configs.find((c) => c.name === "retention.ms")?.value;
    const target = String(wanted.get(resource.resourceName));
    return current === target ? [] : [{
      resourceType: TOPIC_RESOURCE as 2,
      resourceName: resource.resourceName,
      configs: [{ name: "retention.ms", configOperation: SET_CONFIG as 0, value: target }],
    }];
  });
  if (changes.length > 0) await admin.incrementalAlterConfigs({ resources: changes });
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
