import assert from "node:assert/strict";
import { loadLakeSinkConfig } from "./config.ts";

const from = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("lake config defaults to a local folder and the embedded log", () => {
  const config = loadLakeSinkConfig(from({}));
  assert.deepEqual(config.target, { kind: "local", dir: ".data/lake/analytics_events" });
  assert.equal(config.checkpointInterval, 10);
  assert.equal(config.sinkName, "analytics-sink-delta");
  assert.equal(config.log.kind, "local");
  assert.equal(config.log.groupId, "analytics-sink-delta");
  assert.equal(config.log.topic, "analytics.events.v1");
  assert.deepEqual(config.http, { host: "127.0.0.1", port: 3003, corsOrigins: [] });
});

Deno.test("lake config: topic, group, session timeout and HTTP port", () => {
  const config = loadLakeSinkConfig(from({
    KAFKA_BROKERS: "127.0.0.1:9092",
    KAFKA_EVENTS_TOPIC: "run-1.events",
    KAFKA_GROUP_ID: "lake-1",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    SINK_HTTP_PORT: "0",
  }));
  assert.equal(config.sinkName, "lake-1");
  assert.deepEqual(config.log, {
    kind: "kafka",
    brokers: ["127.0.0.1:9092"],
    groupId: "lake-1",
    clientId: "analytics-sink-delta",
    topic: "run-1.events",
    partitions: 6,
    sessionTimeoutMs: 6000,
  });
  assert.equal(config.http.port, 0);
});

Deno.test("lake config: S3 target with the table under the prefix", () => {
  const config = loadLakeSinkConfig(from({
    S3_ENDPOINT: "http://127.0.0.1:9000",
    S3_BUCKET: "analytics",
    S3_PREFIX: "/lake/",
    AWS_ACCESS_KEY_ID: "k",
    AWS_SECRET_ACCESS_KEY: "s",
    KAFKA_BROKERS: "127.0.0.1:9092",
  }));
  assert.equal(config.target.kind, "s3");
  assert.equal(config.target.kind === "s3" && config.target.prefix, "lake/analytics_events");
  assert.equal(config.log.kind, "kafka");
});

Deno.test("lake config errors name the variable", () => {
  assert.throws(() => loadLakeSinkConfig(from({ S3_ENDPOINT: "http://x" })), /S3_BUCKET/);
  assert.throws(
    () => loadLakeSinkConfig(from({ DELTA_CHECKPOINT_INTERVAL: "-1" })),
    /DELTA_CHECKPOINT_INTERVAL/,
  );
  assert.throws(
    () =>
      loadLakeSinkConfig(
        from({ S3_ENDPOINT: "http://x", S3_BUCKET: "b", AWS_ACCESS_KEY_ID: "k" }),
      ),
    /AWS_SECRET_ACCESS_KEY/,
  );
});

Deno.test("lake config: local cache folder and bound for S3 data files", () => {
  assert.deepEqual(loadLakeSinkConfig(from({})).cache, {
    dir: ".data/lake-cache",
    maxBytes: 512 * 1024 * 1024,
  });
  const config = loadLakeSinkConfig(from({
    DELTA_LOCAL_CACHE_DIR: "/var/cache/lake",
    DELTA_LOCAL_CACHE_MAX_BYTES: "1048576",
  }));
  assert.deepEqual(config.cache, { dir: "/var/cache/lake", maxBytes: 1_048_576 });
  assert.throws(
    () => loadLakeSinkConfig(from({ DELTA_LOCAL_CACHE_MAX_BYTES: "-1" })),
    /DELTA_LOCAL_CACHE_MAX_BYTES/,
  );
});
