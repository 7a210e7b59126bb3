import { equal } from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { deleteTopics, ensureTopics } from "./mod.ts";
import { kafkaTest, testBrokers, uniqueTopic } from "./test_broker.ts";

/** `retention.ms` of each topic, as the broker reports it. */
async function retentionOf(topics: string[]): Promise<Record<string, string | null | undefined>> {
  const admin = new Admin({ clientId: "retention-test", bootstrapBrokers: testBrokers });
  try {
    const described = await admin.describeConfigs({
      resources: topics.map((name) => ({
        resourceType: 2,
        resourceName: name,
        configurationKeys: ["retention.ms"],
      })),
    });
    return Object.fromEntries(
      described.map((
        r,
      ) => [r.resourceName, r.configs.find((c) => c.name === "retention.ms")?.value]),
    );
  } finally {
    await admin.close();
  }
}

kafkaTest(
  "topic retention: set at creation, enforced on an existing topic only when asked",
  async () => {
    const topic = uniqueTopic("retention");
    const dlq = `${topic}.dlq`;
    try {
      await ensureTopics({
        brokers: testBrokers,
        topic,
        partitions: 1,
        retentionMs: 3_600_000,
        deadLetterRetentionMs: 7_200_000,
      });
      equal(
        JSON.stringify(await retentionOf([topic, dlq])),
        JSON.stringify({
          [topic]: "3600000",
          [dlq]: "7200000",
        }),
      );
      // A sink creating missing topics leaves an existing topic's settings alone.
      await ensureTopics({ brokers: testBrokers, topic, partitions: 1 });
      equal((await retentionOf([topic]))[topic], "3600000");
      // The ingest, which owns them, sets the configured values on existing topics.
      await ensureTopics({
        brokers: testBrokers,
        topic,
        partitions: 1,
        retentionMs: 86_400_000,
        deadLetterRetentionMs: 172_800_000,
        enforceRetention: true,
      });
      const after = await retentionOf([topic, dlq]);
      equal(after[topic], "86400000");
      equal(after[dlq], "172800000");
    } finally {
      await deleteTopics({ brokers: testBrokers }, [topic, dlq]).catch(() => {});
    }
  },
);
