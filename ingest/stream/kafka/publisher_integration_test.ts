import assert from "node:assert/strict";
import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Channel, EventSchema } from "@analytics/schema";
import { partitionOf } from "../partitioner.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "../topics.ts";
import type { OutgoingRecord } from "../record.ts";
import { KafkaPublisher } from "./publisher.ts";
import { deleteTopics, ensureTopics } from "./topics_admin.ts";
import { readBack } from "./read_back.ts";
import { kafkaTest, testBrokers, uniqueTopic } from "./test_broker.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

kafkaTest(
  "5000 records in 250 concurrent publishes land exactly once, on partitionOf(key)",
  async () => {
    const topic = uniqueTopic("exactly-n");
    await ensureTopics({ brokers: testBrokers, topic, partitions: 6 });
    const publisher = new KafkaPublisher({
      brokers: testBrokers,
      lingerMs: 2,
      maxBatchRecords: 500,
    });
    try {
      const total = 5000;
      const records: OutgoingRecord[] = Array.from({ length: total }, (_, i) => ({
        key: `user-${i % 97}`,
        value: encoder.encode(`record-${i}`),
        headers: { n: String(i) },
      }));
      const calls = Array.from({ length: 250 }, (_, c) => records.slice(c * 20, c * 20 + 20));
      const outcomes = (await Promise.all(calls.map((batch) => publisher.publish(topic, batch))))
        .flat();
      assert.equal(outcomes.length, total);
      const failed = outcomes.filter((o) => !o.ok);
      assert.equal(
        failed.length,
        0,
        `not stored: ${failed.map((o) => !o.ok && o.error.message)[0]}`,
      );

      const onBroker = await readBack({ brokers: testBrokers, topic, expected: total });
      assert.equal(onBroker.length, total, "records on the broker");
      const ids = new Set(onBroker.map((r) => decoder.decode(r.value)));
      assert.equal(ids.size, total, "distinct records on the broker");
      for (const record of onBroker) {
        assert.equal(
          record.partition,
          partitionOf(record.key, 6),
          `partition of key ${record.key}`,
        );
        assert.equal(
          decoder.decode(record.value),
          `record-${record.headers.n}`,
          "header passed through",
        );
      }
      // The position each outcome reported is where the record really is.
      const byPosition = new Map(onBroker.map((r) => [`${r.partition}:${r.offset}`, r]));
      outcomes.forEach((outcome, i) => {
        assert.ok(outcome.ok);
        const found = byPosition.get(`${outcome.position.partition}:${outcome.position.offset}`);
        assert.equal(found && decoder.decode(found.value), `record-${i}`);
      });
    } finally {
      await publisher.close();
      await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
    }
  },
);

kafkaTest("an encoded analytics.v1.Event round-trips through Kafka field by field", async () => {
  const topic = uniqueTopic("round-trip");
  await ensureTopics({ brokers: testBrokers, topic, partitions: 6 });
  const publisher = new KafkaPublisher({ brokers: testBrokers });
  try {
    const event = create(EventSchema, {
      eventId: "01936f0e-7b7a-7cc0-8f00-1234567890ab",
      channel: Channel.WEB,
      platform: "web",
      eventType: "page_view",
      eventCategory: "navigation",
      resourceId: "product-42",
      resourceTitle: "Blue mug",
      interactionTarget: "a#buy",
      interactionValue: 3.5,
      interactionText: "mugs",
      sessionId: "session-1",
      userId: "user-7",
      anonymousId: "anon-1",
      deviceId: "device-9",
      context: {
        case: "web",
        value: {
          url: "https://shop.example.com/p/42?utm_source=news",
          path: "/p/42",
          pageTitle: "Blue mug",
          referrer: "https://search.example.com/",
          viewportWidth: 1280,
          viewportHeight: 720,
        },
      },
      timestamp: timestampFromMs(1_760_000_000_123),
      sentAt: timestampFromMs(1_760_000_000_456),
      properties: { plan: "pro", seats: 3, beta: true, tags: ["a", "b"] },
    });
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const [outcome] = await publisher.publish(topic, [{
      key: event.userId,
      value: toBinary(EventSchema, event),
      headers: { traceparent, [SCHEMA_HEADER]: EVENT_SCHEMA },
    }]);
    assert.ok(outcome.ok, !outcome.ok ? outcome.error.message : "");
    assert.equal(outcome.position.partition, partitionOf("user-7", 6));

    const [record] = await readBack({ brokers: testBrokers, topic, expected: 1 });
    assert.equal(record.key, "user-7");
    assert.equal(record.partition, outcome.position.partition);
    assert.equal(record.offset, outcome.position.offset);
    assert.deepEqual(record.headers, { traceparent, [SCHEMA_HEADER]: EVENT_SCHEMA });
    const decoded = fromBinary(EventSchema, record.value);
    for (const field of EventSchema.fields) {
      assert.deepEqual(
        (decoded as Record<string, unknown>)[field.localName],
        (event as Record<string, unknown>)[field.localName],
        `field ${field.name}`,
      );
    }
    assert.ok(equals(EventSchema, decoded, event));
  } finally {
    await publisher.close();
    await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
  }
});

kafkaTest("publishing to a topic that does not exist reports every record not stored", async () => {
  const publisher = new KafkaPublisher({ brokers: testBrokers, requestTimeoutMs: 3_000 });
  try {
    const outcomes = await publisher.publish(uniqueTopic("missing"), [
      { key: "k", value: encoder.encode("v"), headers: {} },
      { key: "k2", value: encoder.encode("v2"), headers: {} },
    ]);
    assert.equal(outcomes.length, 2);
    for (const outcome of outcomes) assert.equal(outcome.ok, false);
  } finally {
    await publisher.close();
  }
});

kafkaTest("ensureTopics is idempotent and refuses a partition count that differs", async () => {
  const topic = uniqueTopic("ensure");
  try {
    await Promise.all([
      ensureTopics({ brokers: testBrokers, topic, partitions: 3 }),
      ensureTopics({ brokers: testBrokers, topic, partitions: 3 }),
    ]);
    await ensureTopics({ brokers: testBrokers, topic, partitions: 3 });
    await assert.rejects(
      ensureTopics({ brokers: testBrokers, topic, partitions: 6 }),
      /has 3 partitions, KAFKA_TOPIC_PARTITIONS says 6/,
    );
  } finally {
    await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
  }
});
