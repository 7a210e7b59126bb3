import assert from "node:assert/strict";
import { DEFAULT_BATCH_LIMITS } from "../loop/batch_limits.ts";
import { HOT_BATCH_IDLE_MS, HOT_BATCH_MAX_WAIT_MS, loadHotSinkConfig } from "./config.ts";

const from = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("loadHotSinkConfig defaults to PGlite and the embedded log", () => {
  assert.deepEqual(loadHotSinkConfig(from({})), {
    target: { kind: "pglite", dir: ".data/pglite" },
    batch: { ...DEFAULT_BATCH_LIMITS, maxWaitMs: HOT_BATCH_MAX_WAIT_MS, idleMs: HOT_BATCH_IDLE_MS },
    timescale: "off",
    log: {
      kind: "local",
      dir: ".data/log",
      groupId: "analytics-sink-timescale",
      topic: "analytics.events.v1",
      partitions: 6,
    },
    http: { host: "127.0.0.1", port: 3002, corsOrigins: [] },
    retentionDays: 400,
    admin: {
      keyHashes: [],
      settleMs: 2000,
      lake: { kind: "local", dir: ".data/lake/analytics_events" },
      lakeCheckpointInterval: 10,
    },
  });
});

Deno.test("loadHotSinkConfig reads the admin keys, the lake of deletions and the retention", () => {
  const hash = "a".repeat(64);
  const config = loadHotSinkConfig(from({
    ADMIN_KEY_HASHES: `${hash}, ${"b".repeat(64)}`,
    ADMIN_SUPPRESSION_SETTLE_MS: "0",
    HOT_RETENTION_DAYS: "0",
    S3_ENDPOINT: "http://127.0.0.1:9000",
    S3_BUCKET: "analytics",
  }));
  assert.deepEqual(config.admin.keyHashes, [hash, "b".repeat(64)]);
  assert.equal(config.admin.settleMs, 0);
  assert.equal(config.retentionDays, 0);
  assert.equal(config.admin.lake.kind, "s3");
  assert.throws(
    () => loadHotSinkConfig(from({ ADMIN_KEY_HASHES: "ak_plain" })),
    /ADMIN_KEY_HASHES/,
  );
  assert.throws(() => loadHotSinkConfig(from({ HOT_RETENTION_DAYS: "-1" })), /HOT_RETENTION_DAYS/);
});

Deno.test("loadHotSinkConfig reads PostgreSQL, Kafka, batch limits and TIMESCALEDB", () => {
  const config = loadHotSinkConfig(from({
    DATABASE_URL: "postgres://a:b@127.0.0.1:5432/analytics",
    KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9093",
    KAFKA_GROUP_ID: "g",
    KAFKA_EVENTS_TOPIC: "t.events",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    SINK_HTTP_PORT: "0",
    SINK_CORS_ORIGINS: "http://localhost:8080",
    SINK_BATCH_MAX_RECORDS: "100",
    TIMESCALEDB: "auto",
  }));
  assert.deepEqual(config.target, {
    kind: "postgres",
    url: "postgres://a:b@127.0.0.1:5432/analytics",
  });
  assert.equal(config.batch.maxRecords, 100);
  assert.equal(config.timescale, "auto");
  assert.deepEqual(config.log, {
    kind: "kafka",
    brokers: ["127.0.0.1:9092", "127.0.0.1:9093"],
    groupId: "g",
    clientId: "analytics-sink-timescale",
    topic: "t.events",
    partitions: 6,
    sessionTimeoutMs: 6000,
  });
  assert.deepEqual(config.http, {
    host: "127.0.0.1",
    port: 0,
    corsOrigins: ["http://localhost:8080"],
  });
});

Deno.test("loadHotSinkConfig names the variable of a wrong value", () => {
  assert.throws(
    () => loadHotSinkConfig(from({ SINK_BATCH_MAX_WAIT_MS: "soon" })),
    /SINK_BATCH_MAX_WAIT_MS/,
  );
  assert.throws(() => loadHotSinkConfig(from({ TIMESCALEDB: "maybe" })), /TIMESCALEDB/);
  assert.throws(() => loadHotSinkConfig(from({ KAFKA_EVENTS_TOPIC: "a b" })), /KAFKA_EVENTS_TOPIC/);
  assert.throws(() => loadHotSinkConfig(from({ SINK_HTTP_PORT: "70000" })), /SINK_HTTP_PORT/);
  assert.throws(
    () => loadHotSinkConfig(from({ KAFKA_BROKERS: "k:1", KAFKA_SESSION_TIMEOUT_MS: "5" })),
    /KAFKA_SESSION_TIMEOUT_MS/,
  );
  assert.throws(() => loadHotSinkConfig(from({ SINK_CORS_ORIGINS: "x/" })), /SINK_CORS_ORIGINS/);
  assert.throws(
    () => loadHotSinkConfig(from({ DATABASE_URL: "mysql://x:secret@h/d" })),
    /DATABASE_URL.*\*\*\*/,
  );
});
