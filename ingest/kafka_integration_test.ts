/**
 * The real ingest on a real Kafka broker: a mixed batch round trip (produce, consume, decode,
 * compare field by field), and the broker stopped under load (callers hear `unavailable` or
 * "not stored", never "accepted" for what the broker did not take; every accepted id is on the
 * broker once it is back).
 */
import assert from "node:assert/strict";
import { clone, create, equals, fromBinary, toJsonString } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import {
  Channel,
  type Event,
  EventSchema,
  IngestService,
  MessageRole,
  Outcome,
  uuidv7,
} from "@analytics/schema";
import { readLedger, runLoad } from "../bench/loadgen/mod.ts";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { loadIngestConfig } from "./config.ts";
import { type RunningIngest, startIngest } from "./main.ts";
import { createLogger } from "./observability/mod.ts";
import { KafkaConsumer } from "./stream/kafka/mod.ts";
import { kafkaTest, runDeployScript, testBrokers } from "./stream/kafka/test_broker.ts";
import { partitionKeyOf, partitionOf } from "./stream/partitioner.ts";
import type { ConsumedRecord } from "./stream/record.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "./stream/topics.ts";

/** A topic of this run only, so reading it from the beginning reads only what this run sent. */
const testTopic = `ingest-test.${crypto.randomUUID()}`;

async function startKafkaIngest(key: string): Promise<RunningIngest> {
  return await startIngest(
    loadIngestConfig({
      INGEST_HTTP_PORT: "0",
      INGEST_GRPC_PORT: "0",
      INGEST_WRITE_KEYS: `kafka-test:${hashWriteKey(key)}`,
      KAFKA_BROKERS: testBrokers.join(","),
      KAFKA_REQUEST_TIMEOUT_MS: "3000",
      KAFKA_EVENTS_TOPIC: testTopic,
    }),
    createLogger({ level: "error" }),
  );
}

/** Reads the event topic from the beginning until every id in `ids` was seen (or time runs out). */
async function findOnBroker(
  ids: Set<string>,
  { expected = ids.size, timeoutMs = 60_000 } = {},
): Promise<Map<string, ConsumedRecord[]>> {
  const consumer = await KafkaConsumer.connect({
    brokers: testBrokers,
    topic: testTopic,
    groupId: `ingest-test-${crypto.randomUUID()}`,
    sessionTimeoutMs: 6_000,
    fromBeginning: true,
  });
  const found = new Map<string, ConsumedRecord[]>();
  const deadline = Date.now() + timeoutMs;
  let quietPolls = 0;
  try {
    // Keep reading a little after the last id was found, so a duplicate right behind shows up.
    while (Date.now() < deadline && quietPolls < 3) {
      const records = await consumer.poll({ maxRecords: 10_000, maxWaitMs: 500 });
      for (const record of records) {
        const id = fromBinary(EventSchema, record.value).eventId;
        if (ids.has(id)) found.set(id, [...(found.get(id) ?? []), record]);
      }
      if (found.size >= expected && records.length === 0) quietPolls++;
    }
  } finally {
    await consumer.close();
  }
  return found;
}

function chatEvent(): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.CHAT,
    platform: "slack",
    eventType: "bot_response",
    eventCategory: "interaction",
    resourceId: "conversation-42",
    resourceTitle: "Support",
    interactionTarget: "reply",
    interactionValue: 812.5,
    interactionText: "Your order ships tomorrow.",
    sessionId: `session-${crypto.randomUUID()}`,
    userId: `user-${crypto.randomUUID()}`,
    deviceId: "device-1",
    client: { libraryName: "@analytics/chat", libraryVersion: "0.1.0", locale: "en-GB" },
    context: {
      case: "chat",
      value: {
        conversationId: "conversation-42",
        messageId: "m-7",
        messageRole: MessageRole.BOT,
        messageLength: 26,
        responseLatencyMs: 812.5,
        botName: "helper",
      },
    },
    timestamp: timestampNow(),
    properties: { order: { id: "o-1", items: 3 }, priority: true },
  });
}

kafkaTest("ingest → Kafka round trip: a mixed batch, decoded field by field", async () => {
  const key = newWriteKey();
  const ingest = await startKafkaIngest(key);
  try {
    const baseUrl = `http://127.0.0.1:${ingest.server.grpcPort}`;
    // Closed before the ingest stops: see the note in main_integration_test.ts.
    const sessions = new Http2SessionManager(baseUrl);
    const client = createClient(
      IngestService,
      createGrpcTransport({ baseUrl, sessionManager: sessions }),
    );
    const good = [chatEvent(), chatEvent()];
    const bad = create(EventSchema, { ...chatEvent(), sessionId: "" });
    const answer = await client.track({ events: [good[0], bad, good[1]] }, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.deepEqual(answer.results.map((r) => r.outcome), [
      Outcome.ACCEPTED,
      Outcome.REJECTED,
      Outcome.ACCEPTED,
    ]);
    assert.equal(answer.results[1].field, "events[1].session_id");
    sessions.abort();

    const found = await findOnBroker(new Set([...good, bad].map((e) => e.eventId)), {
      expected: good.length,
    });
    assert.equal(found.has(bad.eventId), false, "a rejected event must never be published");
    for (const sent of good) {
      const records = found.get(sent.eventId) ?? [];
      assert.equal(records.length, 1, `event ${sent.eventId} on the broker exactly once`);
      const [record] = records;
      assert.equal(record.headers[SCHEMA_HEADER], EVENT_SCHEMA);
      assert.equal(record.key, partitionKeyOf(sent));
      assert.equal(record.partition, partitionOf(record.key, 6));
      const received = fromBinary(EventSchema, record.value);
      const enrichment = received.enrichment;
      assert.equal(enrichment?.source, "kafka-test");
      assert.equal(enrichment?.schema, EVENT_SCHEMA);
      assert.ok(enrichment?.receivedAt && enrichment.correctedTime);
      // Everything the client sent comes back unchanged; only the enrichment is added.
      const withoutEnrichment = clone(EventSchema, received);
      withoutEnrichment.enrichment = undefined;
      assert.ok(
        equals(EventSchema, withoutEnrichment, sent),
        `decoded event differs from the sent one:\n${
          toJsonString(EventSchema, withoutEnrichment)
        }\n${toJsonString(EventSchema, sent)}`,
      );
    }
  } finally {
    await ingest.stop();
  }
});

kafkaTest(
  "ingest with the broker stopped mid-run: unavailable, and nothing accepted is lost",
  async () => {
    const key = newWriteKey();
    const ingest = await startKafkaIngest(key);
    const ledgerPath = await Deno.makeTempFile({ prefix: "ledger-" });
    let brokerStopped = false;
    try {
      const baseUrl = `http://127.0.0.1:${ingest.server.grpcPort}`;
      const stop = new AbortController();
      const load = runLoad({
        protocol: "grpc",
        url: baseUrl,
        writeKey: key,
        rate: 400,
        batch: 20,
        concurrency: 4,
        durationMs: 60_000,
        ledgerPath,
        signal: stop.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await runDeployScript("kafka/stop.sh");
      brokerStopped = true;
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await runDeployScript("kafka/start.sh");
      brokerStopped = false;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      stop.abort();
      const summary = await load;

      const refused = summary.notStored + (summary.errors["unavailable"] ?? 0);
      assert.ok(refused > 0, `the outage must be visible to callers: ${JSON.stringify(summary)}`);
      assert.ok(
        summary.accepted > 0,
        `events accepted before and after: ${JSON.stringify(summary)}`,
      );

      // After the broker is back, a fresh batch is accepted whole.
      const after = await runLoad({ protocol: "grpc", url: baseUrl, writeKey: key, events: 200 });
      assert.equal(after.accepted, 200, JSON.stringify(after));

      const ledger = await readLedger(ledgerPath);
      assert.equal(ledger.length, summary.accepted);
      const found = await findOnBroker(new Set(ledger), { timeoutMs: 120_000 });
      const missing = ledger.filter((id) => !found.has(id));
      assert.deepEqual(
        missing.slice(0, 10),
        [],
        `${missing.length} accepted events not on the broker`,
      );
    } finally {
      if (brokerStopped) await runDeployScript("kafka/start.sh");
      await ingest.stop();
      await Deno.remove(ledgerPath);
    }
  },
);
