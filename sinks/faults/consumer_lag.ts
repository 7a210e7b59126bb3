/**
 * Consumer lag of a Kafka consumer group as the broker sees it: per partition, the high watermark
 * minus the group's committed offset (the whole partition when nothing is committed). Asked from
 * the outside with an admin client, independent of the sinks' own lag gauge.
 *
 * @module
 */
import assert from "node:assert/strict";
import kafkajs from "kafkajs";

/** The lag of one group on one topic. */
export interface ConsumerLag {
  /** Sum over the partitions. */
  total: number;
  /** By partition. */
  byPartition: Map<number, number>;
}

/** Asks the brokers for `group`'s committed offsets and `topic`'s high watermarks. */
export async function consumerLag(
  brokers: string[],
  topic: string,
  group: string,
): Promise<ConsumerLag> {
  const admin = new kafkajs.Kafka({
    clientId: "faults-lag",
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const committedBy = new Map(
      (committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
    );
    const byPartition = new Map<number, number>();
    let total = 0;
    for (const { partition, high } of ends) {
      const at = committedBy.get(partition) ?? -1n;
      const end = BigInt(high);
      const lag = Number(at < 0n ? end : end > at ? end - at : 0n);
      byPartition.set(partition, lag);
      total += lag;
    }
    return { total, byPartition };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Polls `consumerLag` until the total is 0 or `timeoutMs` passes; returns the last measurement
 * (the caller asserts on it).
 */
export async function waitForZeroLag(
  brokers: string[],
  topic: string,
  group: string,
  timeoutMs = 60_000,
): Promise<ConsumerLag> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const lag = await consumerLag(brokers, topic, group);
    if (lag.total === 0 || Date.now() > deadline) return lag;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Records ever appended to `topic`: the sum of its partitions' high watermarks. */
export async function topicRecordCount(brokers: string[], topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({
    clientId: "faults-lag",
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Asserts both sinks' consumer groups caught up (lag 0 on every partition). */
export function assertNoLag(lag: Record<"hot" | "lake", ConsumerLag>): void {
  assert.equal(lag.hot.total, 0, "hot sink's consumer lag");
  assert.equal(lag.lake.total, 0, "lake sink's consumer lag");
}
