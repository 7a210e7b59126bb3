import assert from "node:assert/strict";
import type { ConsumedRecord } from "../record.ts";
import { KafkaConsumer } from "./consumer.ts";
import { KafkaPublisher } from "./publisher.ts";
import { deleteTopics, ensureTopics } from "./topics_admin.ts";
import { kafkaTest, testBrokers, uniqueTopic } from "./test_broker.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function publishNumbered(topic: string, count: number): Promise<void> {
  const publisher = new KafkaPublisher({ brokers: testBrokers });
  try {
    const outcomes = await publisher.publish(
      topic,
      Array.from({ length: count }, (_, i) => ({
        key: `device-${i % 11}`,
        value: encoder.encode(String(i)),
        headers: {},
      })),
    );
    assert.ok(outcomes.every((o) => o.ok), "every record stored");
  } finally {
    await publisher.close();
  }
}

async function pollUntil(
  consumer: KafkaConsumer,
  enough: (records: ConsumedRecord[]) => boolean,
): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + 60_000;
  while (!enough(records) && Date.now() < deadline) {
    records.push(...await consumer.poll({ maxRecords: 50, maxWaitMs: 500 }));
  }
  return records;
}

function nextOffsets(records: ConsumedRecord[]): Map<number, bigint> {
  const next = new Map<number, bigint>();
  for (const r of records) {
    if ((next.get(r.partition) ?? -1n) < r.offset + 1n) next.set(r.partition, r.offset + 1n);
  }
  return next;
}

kafkaTest(
  "a new member of the group resumes after the committed offsets; seek re-reads",
  async () => {
    const topic = uniqueTopic("commit-resume");
    const groupId = `test-group-${crypto.randomUUID()}`;
    await ensureTopics({ brokers: testBrokers, topic, partitions: 3 });
    const options = { brokers: testBrokers, topic, groupId, sessionTimeoutMs: 3_000 };
    try {
      await publishNumbered(topic, 300);

      const first = await KafkaConsumer.connect({ ...options, maxBufferedRecords: 20 });
      const processed = await pollUntil(first, (r) => r.length >= 100);
      assert.ok(processed.length >= 100);
      assert.deepEqual(first.assignment(), [0, 1, 2]);
      await first.commit(nextOffsets(processed));
      await first.close();

      const second = await KafkaConsumer.connect(options);
      const rest = await pollUntil(second, (r) => processed.length + r.length >= 300);
      const firstIds = new Set(processed.map((r) => decoder.decode(r.value)));
      const restIds = rest.map((r) => decoder.decode(r.value));
      assert.equal(
        restIds.filter((id) => firstIds.has(id)).length,
        0,
        "nothing committed is re-read",
      );
      assert.equal(new Set([...firstIds, ...restIds]).size, 300, "nothing is skipped");

      const partition = rest[0]?.partition ?? processed[0].partition;
      second.seek(partition, 0n);
      const reread = await pollUntil(second, (r) => r.some((x) => x.partition === partition));
      const fromPartition = reread.filter((r) => r.partition === partition);
      assert.equal(fromPartition[0].offset, 0n, "seek moved the read position to offset 0");
      await second.close();
    } finally {
      await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
    }
  },
);

kafkaTest("poll on an empty topic returns no records", async () => {
  const topic = uniqueTopic("empty");
  await ensureTopics({ brokers: testBrokers, topic, partitions: 2 });
  const consumer = await KafkaConsumer.connect({
    brokers: testBrokers,
    topic,
    groupId: `test-group-${crypto.randomUUID()}`,
    sessionTimeoutMs: 3_000,
  });
  try {
    assert.deepEqual(await consumer.poll({ maxRecords: 10, maxWaitMs: 300 }), []);
  } finally {
    await consumer.close();
    await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
  }
});
