import { equal, ok } from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { deleteTopics } from "../stream/kafka/mod.ts";
import { kafkaTest, testBrokers, uniqueTopic } from "../stream/kafka/test_broker.ts";
import { suppressionTopicOf } from "./suppression_entry.ts";
import { openSuppressionList } from "./open_suppression_list.ts";

kafkaTest("the suppression list reaches every replica through a compacted topic", async () => {
  const events = uniqueTopic("suppress");
  const topic = suppressionTopicOf(events);
  const source = { kind: "kafka" as const, connection: { brokers: testBrokers }, topic: events };
  try {
    const admin = await openSuppressionList(source);
    const replica = await openSuppressionList(source, { tailIntervalMs: 50 });
    equal(replica.size, 0);
    const at = Date.now();
    await admin.add([
      { id: "u-1", kind: "user", deletionId: "d-1", at },
      { id: "anon-1", kind: "anonymous", deletionId: "d-1", at },
    ]);
    for (let i = 0; i < 200 && replica.size < 2; i++) await new Promise((r) => setTimeout(r, 50));
    ok(replica.has("u-1") && replica.has("anon-1"), "a running replica tails new entries");
    // A replica started later reads the whole list before it is handed out.
    const late = await openSuppressionList(source);
    equal(late.size, 2);
    await Promise.all([admin.close(), replica.close(), late.close()]);

    const kafkaAdmin = new Admin({ clientId: "test", bootstrapBrokers: testBrokers });
    try {
      const [described] = await kafkaAdmin.describeConfigs({
        resources: [{ resourceType: 2, resourceName: topic, configurationKeys: [] }],
      });
      const config = new Map(described.configs.map((c) => [c.name, c.value]));
      equal(config.get("cleanup.policy"), "compact");
      equal(config.get("retention.ms"), "-1");
    } finally {
      await kafkaAdmin.close();
    }
  } finally {
    await deleteTopics({ brokers: testBrokers }, [topic]).catch(() => {});
  }
});
