/**
 * The in-flight bound on a real broker: with INGEST_MAX_IN_FLIGHT_EVENTS small and a long linger
 * (publishes wait for the broker), concurrent callers beyond the bound are shed with
 * `resource_exhausted` naming the limit, no call hangs past its deadline, and every event a caller
 * was told ACCEPTED is in the topic.
 */
import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { EventSchema, IngestService } from "@analytics/schema";
import { createEventSource, readLedger, runLoad } from "../bench/loadgen/mod.ts";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { loadIngestConfig } from "./config.ts";
import { startIngest } from "./main.ts";
import { createLogger } from "./observability/mod.ts";
import { readBack } from "./stream/kafka/read_back.ts";
import { kafkaTest, testBrokers, uniqueTopic } from "./stream/kafka/test_broker.ts";

kafkaTest(
  "batches beyond the in-flight bound are shed; every accepted event is on the broker",
  async () => {
    const key = newWriteKey();
    const topic = uniqueTopic("overload");
    const ingest = await startIngest(
      loadIngestConfig({
        INGEST_HTTP_PORT: "0",
        INGEST_GRPC_PORT: "0",
        INGEST_WRITE_KEYS: `overload-test:${hashWriteKey(key)}`,
        INGEST_MAX_IN_FLIGHT_EVENTS: "300",
        KAFKA_BROKERS: testBrokers.join(","),
        KAFKA_EVENTS_TOPIC: topic,
        KAFKA_TOPIC_PARTITIONS: "2",
        // Every publish waits this long for company: what is admitted stays in flight a while.
        KAFKA_LINGER_MS: "300",
      }),
      createLogger({ level: "error" }),
    );
    const dir = await Deno.makeTempDir({ prefix: "overload-test-" });
    const baseUrl = `http://127.0.0.1:${ingest.server.grpcPort}`;
    const sessions = new Http2SessionManager(baseUrl);
    try {
      const client = createClient(
        IngestService,
        createGrpcTransport({ baseUrl, sessionManager: sessions }),
      );
      const events = createEventSource({ seed: 7 });
      const auth = { headers: { authorization: `Bearer ${key}` }, timeoutMs: 60_000 };
      // The first publish connects the producer: out of the way before the load.
      let ownAccepted = (await client.track({ events: events.batch(10) }, auth)).accepted;
      let loadDone = false;
      const load = runLoad({
        protocol: "grpc",
        url: baseUrl,
        writeKey: key,
        batch: 100,
        concurrency: 12,
        events: 6_000,
        timeoutMs: 60_000,
        ledgerPath: `${dir}/accepted.ids`,
        seed: 6,
      }).finally(() => loadDone = true);
      // Calls of our own, 8 × 100 events at once against a bound of 300 (each admitted batch stays
      // in flight for the linger), so some are shed with the limit named whatever the load does.
      let shed: ConnectError | undefined;
      for (let round = 0; shed === undefined && (round < 3 || !loadDone); round++) {
        const calls = Array.from(
          { length: 8 },
          () => client.track({ events: events.batch(100) }, auth),
        );
        for (const result of await Promise.allSettled(calls)) {
          if (result.status === "fulfilled") ownAccepted += result.value.accepted;
          else shed ??= ConnectError.from(result.reason);
        }
      }
      const summary = await load;
      assert.equal(shed?.code, Code.ResourceExhausted, String(shed));
      assert.match(shed!.rawMessage, /more than 300 events awaiting the event log/);
      assert.match(shed!.rawMessage, /INGEST_MAX_IN_FLIGHT_EVENTS/);

      assert.ok(summary.accepted > 0, JSON.stringify(summary));
      assert.ok((summary.errors.resource_exhausted ?? 0) > 0, JSON.stringify(summary.errors));
      // Shedding answers at once: no call ran into its deadline, none failed otherwise.
      assert.deepEqual(Object.keys(summary.errors), ["resource_exhausted"]);
      assert.equal(summary.rejected, 0);

      const ledger = await readLedger(`${dir}/accepted.ids`);
      assert.equal(ledger.length, summary.accepted);
      // Everything in the topic: the load's accepted events and our own calls' (nothing else).
      const records = await readBack({
        brokers: testBrokers,
        topic,
        expected: ledger.length + ownAccepted,
      });
      assert.equal(records.length, ledger.length + ownAccepted);
      const onBroker = new Set(records.map((r) => fromBinary(EventSchema, r.value).eventId));
      const lost = ledger.filter((id) => !onBroker.has(id));
      assert.deepEqual(lost, [], `${lost.length} accepted events are not on the broker`);
    } finally {
      sessions.abort();
      await ingest.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
