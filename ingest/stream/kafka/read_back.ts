import type { ConsumedRecord } from "../record.ts";
import { KafkaConsumer } from "./consumer.ts";

/**
 * Reads `topic` from the beginning with a fresh consumer group until `expected` records came
 * or nothing new arrived for `quietMs` after that; used by tests to see what is on the broker.
 */
export async function readBack(
  options: {
    brokers: string[];
    topic: string;
    expected: number;
    quietMs?: number;
    timeoutMs?: number;
  },
): Promise<ConsumedRecord[]> {
  const consumer = await KafkaConsumer.connect({
    brokers: options.brokers,
    topic: options.topic,
    groupId: `read-back-${crypto.randomUUID()}`,
    sessionTimeoutMs: 6_000,
    fromBeginning: true,
  });
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    while (records.length < options.expected && Date.now() < deadline) {
      records.push(...await consumer.poll({ maxRecords: 10_000, maxWaitMs: 500 }));
    }
    // Anything beyond the expected count (a duplicate) would arrive right behind it.
    records.push(
      ...await consumer.poll({ maxRecords: 10_000, maxWaitMs: options.quietMs ?? 1_000 }),
    );
  } finally {
    await consumer.close();
  }
  return records;
}
