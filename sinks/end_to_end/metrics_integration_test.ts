import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Channel, IngestService } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/mod.ts";
import { pageViews } from "../../ingest/server/testdata/events.ts";
import { deleteTopics } from "../../ingest/stream/kafka/mod.ts";
import { deadLetterTopicOf } from "../../ingest/stream/topics.ts";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { sampleEvents } from "../testing/sample_events.ts";
import { scrapeMetrics, startPipelineProcess, sumOf } from "./pipeline_process.ts";
import { DASHBOARDS } from "../../grafana/definitions/mod.ts";
import { dashboardMetricUses, missingLabels } from "../../grafana/promql/dashboard_metrics.ts";

const brokers = Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092";
const kafkaUp = await Deno.connect({
  hostname: brokers.split(",")[0].split(":")[0],
  port: Number(brokers.split(",")[0].split(":")[1]),
}).then((c) => (c.close(), true), () => false);
const inCi = Deno.env.get("CI") === "true";
if (!kafkaUp && !inCi) {
  console.warn(`Kafka metrics test IGNORED: no broker at ${brokers} (bash deploy/up.sh kafka)`);
}

// KAFKA_BROKERS is emptied so the processes use the embedded log even when the test run
// exported a broker's address (CI does).
Deno.test("embedded log: exactly k accepted and j rejected by reason; lag returns to 0", () =>
  countersAndLag({ KAFKA_BROKERS: "" }));

Deno.test({
  name: "Kafka: exactly k accepted and j rejected by reason; lag (high watermarks) returns to 0",
  ignore: !kafkaUp && !inCi,
  async fn() {
    if (!kafkaUp) throw new Error(`CI=true and no Kafka broker at ${brokers}`);
    const topic = `metrics-test-${crypto.randomUUID().slice(0, 8)}`;
    try {
      await countersAndLag({
        KAFKA_BROKERS: brokers,
        KAFKA_EVENTS_TOPIC: topic,
        KAFKA_GROUP_ID: `${topic}-delta`,
        KAFKA_SESSION_TIMEOUT_MS: "6000",
      });
    } finally {
      await deleteTopics({ brokers: brokers.split(",") }, [topic, deadLetterTopicOf(topic)]);
      // The suppression list's topic, made by the programs (docs/privacy.md).
      await deleteTopics({ brokers: brokers.split(",") }, [`${topic}.suppressions`])
        .catch(() => {});
    }
  },
});

/** Ingest and lake sink as processes on the log `logEnv` selects (the embedded one without brokers). */
async function countersAndLag(logEnv: Record<string, string>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "metrics-e2e-" });
  const key = newWriteKey();
  const ingestPort = freePort();
  const sinkPort = freePort();
  const ingest = await startPipelineProcess("ingest/main.ts", {
    INGEST_HTTP_PORT: String(ingestPort),
    INGEST_GRPC_PORT: String(freePort()),
    INGEST_LOG_DIR: `${dir}/log`,
    INGEST_WRITE_KEYS: `site:${hashWriteKey(key)}`,
    ...logEnv,
  }, `http://127.0.0.1:${ingestPort}`);
  let sink;
  try {
    const client = createClient(
      IngestService,
      createConnectTransport({ baseUrl: ingest.url, httpVersion: "1.1" }),
    );
    const valid = sampleEvents(37); // every channel
    const noId = pageViews(3).map((e) => ({ ...e, eventId: "" }));
    const noChannel = pageViews(2).map((e) => ({ ...e, channel: Channel.UNSPECIFIED }));
    const answer = await client.track({ events: [...valid, ...noId, ...noChannel] }, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(answer.accepted, 37, JSON.stringify(answer.results.filter((r) => r.reason)));
    assert.equal(answer.rejected, 5);

    const metrics = await scrapeMetrics(ingest.url);
    const received = "analytics_ingest_events_received_total";
    assert.equal(sumOf(metrics, received), 42);
    assert.equal(sumOf(metrics, "analytics_ingest_events_accepted_total"), 37);
    const rejected = "analytics_ingest_events_rejected_total";
    assert.equal(sumOf(metrics, rejected), 5);
    assert.equal(sumOf(metrics, rejected, { reason: "event_id" }), 3);
    assert.equal(sumOf(metrics, rejected, { reason: "channel" }), 2);
    assert.equal(sumOf(metrics, "analytics_ingest_events_not_stored_total"), 0);
    const byChannel = valid.filter((e) => e.channel === Channel.CHAT).length;
    assert.ok(byChannel > 0);
    assert.equal(
      sumOf(metrics, "analytics_ingest_events_accepted_total", { channel: "chat" }),
      byChannel,
    );
    assert.equal(sumOf(metrics, "analytics_ingest_publish_duration_ms_count"), 1);

    // The lake sink on the same embedded log catches up: lag 0 on all 6 partitions.
    sink = await startPipelineProcess("sinks/delta/main.ts", {
      INGEST_LOG_DIR: `${dir}/log`,
      DELTA_TABLE_DIR: `${dir}/lake`,
      SINK_HTTP_PORT: String(sinkPort),
      SINK_BATCH_MAX_WAIT_MS: "200",
      ...logEnv,
    }, `http://127.0.0.1:${sinkPort}`);
    const deadline = Date.now() + 30_000;
    let sinkMetrics = await scrapeMetrics(sink.url);
    const lagSeries = () =>
      [...sinkMetrics.keys()].filter((s) => s.startsWith("analytics_sink_consumer_lag{"));
    while (
      (sumOf(sinkMetrics, "analytics_sink_events_written_total") < 37 ||
        lagSeries().length < 6 || sumOf(sinkMetrics, "analytics_sink_consumer_lag") > 0) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 200));
      sinkMetrics = await scrapeMetrics(sink.url);
    }
    assert.equal(sumOf(sinkMetrics, "analytics_sink_events_written_total"), 37);
    assert.equal(lagSeries().length, 6, [...sinkMetrics.keys()].join("\n"));
    assert.equal(sumOf(sinkMetrics, "analytics_sink_consumer_lag"), 0);
    assert.equal(sumOf(sinkMetrics, "analytics_sink_dead_lettered_total"), 0);
    assert.equal(sumOf(sinkMetrics, "analytics_sink_batch_records_sum"), 37);
    assert.ok(sumOf(sinkMetrics, "analytics_sink_store_write_duration_ms_count") >= 1);
    assert.ok(sumOf(sinkMetrics, "analytics_sink_offset_commit_duration_ms_count") >= 1);
    // The dashboards' PromQL groups by labels these programs really put on their series.
    const scraped = [...metrics.keys(), ...sinkMetrics.keys()];
    assert.deepEqual(missingLabels(dashboardMetricUses(DASHBOARDS), scraped), []);

    // More events while the sink runs: lag is measured against the files and returns to 0.
    await client.track({ events: sampleEvents(20) }, {
      headers: { authorization: `Bearer ${key}` },
    });
    const again = Date.now() + 30_000;
    do {
      await new Promise((r) => setTimeout(r, 200));
      sinkMetrics = await scrapeMetrics(sink.url);
    } while (
      (sumOf(sinkMetrics, "analytics_sink_events_written_total") < 57 ||
        sumOf(sinkMetrics, "analytics_sink_consumer_lag") > 0) && Date.now() < again
    );
    assert.equal(sumOf(sinkMetrics, "analytics_sink_events_written_total"), 57);
    assert.equal(sumOf(sinkMetrics, "analytics_sink_consumer_lag"), 0);
  } finally {
    const codes = [await sink?.stop(), await ingest.stop()];
    await Deno.remove(dir, { recursive: true });
    assert.deepEqual(codes.filter((c) => c !== undefined), sink ? [0, 0] : [0]);
  }
}
