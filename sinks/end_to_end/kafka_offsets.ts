/** Read-only Kafka look-ups the end-to-end tests compare stores with. */
import kafkajs from "kafkajs";
import { createKafkaConsumer } from "../../ingest/stream/kafka/mod.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";

/** Per partition, the offset of its last record (partitions without records are left out). */
export async function lastOffsets(brokers: string[], topic: string): Promise<Map<number, bigint>> {
  const kafka = new kafkajs.Kafka({
    clientId: "end-to-end-test",
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const last = new Map<number, bigint>();
    for (const { partition, high, low } of offsets) {
      if (BigInt(high) > BigInt(low)) last.set(partition, BigInt(high) - 1n);
    }
    return last;
  } finally {
    await admin.disconnect();
  }
}

/** Reads `topic` from the beginning until `count` records arrived or `timeoutMs` passed. */
export async function readRecords(
  brokers: string[],
  topic: string,
  count: number,
  timeoutMs: number,
): Promise<ConsumedRecord[]> {
  const consumer = await createKafkaConsumer({
    brokers,
    topic,
    groupId: `end-to-end-reader-${crypto.randomUUID()}`,
    sessionTimeoutMs: 6_000,
  });
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (records.length < count && Date.now() < deadline) {
      records.push(...await consumer.poll({ maxRecords: 100, maxWaitMs: 500 }));
    }
    return records;
  } finally {
    await consumer.close();
  }
}
