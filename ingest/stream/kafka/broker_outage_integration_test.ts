/**
 * Stops the real broker mid-run with the deploy scripts and starts it again. It stops the one
 * broker every test uses, so it must not run in parallel with other Kafka tests (deno test runs
 * files one after another unless --parallel is given).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { PublishOutcome } from "../publisher.ts";
import type { OutgoingRecord } from "../record.ts";
import { KafkaPublisher } from "./publisher.ts";
import { deleteTopics, ensureTopics } from "./topics_admin.ts";
import { readBack } from "./read_back.ts";
import { deployDir, kafkaTest, runDeployScript, testBrokers, uniqueTopic } from "./test_broker.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const requestTimeoutMs = 3_000;

function batch(label: string, size: number): OutgoingRecord[] {
  return Array.from({ length: size }, (_, i) => ({
    key: `user-${i % 13}`,
    value: encoder.encode(`${label}-${i}-${crypto.randomUUID()}`),
    headers: {},
  }));
}

/** Fails instead of hanging when `promise` never settles (a liveness bound, not a timing test). */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

kafkaTest(
  "broker stopped mid-run: nothing falsely acknowledged, publishing resumes after restart",
  async () => {
    assert.ok(
      existsSync(`${deployDir}.run/kafka/kafka.pid`),
      "this test stops and starts the broker of deploy/kafka; start it with deploy/up.sh",
    );
    const topic = uniqueTopic("outage");
    await ensureTopics({ brokers: testBrokers, topic, partitions: 6 });
    const publisher = new KafkaPublisher({ brokers: testBrokers, requestTimeoutMs, lingerMs: 2 });
    const stored = new Set<string>();
    const record = (records: OutgoingRecord[], outcomes: PublishOutcome[]) => {
      assert.equal(outcomes.length, records.length);
      outcomes.forEach((o, i) => o.ok && stored.add(decoder.decode(records[i].value)));
    };
    let brokerStopped = false;
    let loading = true;
    try {
      // Load running while the broker goes away.
      const load = (async () => {
        for (let n = 0; loading; n++) {
          const records = batch(`load${n}`, 20);
          record(records, await publisher.publish(topic, records));
        }
      })();
      while (stored.size < 500) await new Promise((r) => setTimeout(r, 20));

      await runDeployScript("kafka/stop.sh");
      brokerStopped = true;
      const whileDown = batch("down", 50);
      const downOutcomes = await settlesWithin(
        publisher.publish(topic, whileDown),
        requestTimeoutMs * 3,
        "publish while the broker is down",
      );
      assert.equal(downOutcomes.filter((o) => o.ok).length, 0, "no record acknowledged while down");
      loading = false;
      await settlesWithin(load, requestTimeoutMs * 3, "publishes in flight at the stop");

      await runDeployScript("kafka/start.sh");
      brokerStopped = false;
      // The same publisher must recover by itself (new connections, new producer id).
      let recovered = false;
      for (let attempt = 0; attempt < 60 && !recovered; attempt++) {
        const records = batch(`after${attempt}`, 20);
        const outcomes = await settlesWithin(
          publisher.publish(topic, records),
          requestTimeoutMs * 3,
          "publish after the restart",
        );
        record(records, outcomes);
        recovered = outcomes.every((o) => o.ok);
        if (!recovered) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(recovered, "publishing works again after the broker came back");

      const onBroker = new Set(
        (await readBack({ brokers: testBrokers, topic, expected: stored.size }))
          .map((r) => decoder.decode(r.value)),
      );
      const missing = [...stored].filter((id) => !onBroker.has(id));
      assert.deepEqual(missing, [], "every acknowledged record is on the broker");
    } finally {
      // Ends the load loop even when an assertion failed first: after close() every publish
      // resolves at once, and the loop would spin on microtasks and starve the event loop.
      loading = false;
      await publisher.close();
      if (brokerStopped) await runDeployScript("kafka/start.sh");
      await deleteTopics({ brokers: testBrokers }, [topic, `${topic}.dlq`]);
    }
  },
);
