import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { DEFAULTS, loadIngestConfig } from "./config.ts";
import { hashWriteKey } from "./auth/key_hash.ts";

const HASH = hashWriteKey("k");

Deno.test("an empty environment gives the documented defaults", () => {
  const config = loadIngestConfig({});
  assertEquals(config, {
    host: "127.0.0.1",
    httpPort: 3001,
    grpcPort: 50051,
    tls: undefined,
    writeKeys: [],
    writeKeysFile: undefined,
    legacySource: "",
    corsOrigins: [],
    limits: {
      maxRequestBytes: 1048576,
      maxBatchEvents: 500,
      maxEventBytes: 65536,
      maxStreamEvents: 100000,
      maxInFlightEvents: 5000,
    },
    rateLimit: { eventsPerSecond: DEFAULTS.rateLimitEventsPerSecond, burst: 20000 },
    storeFullIp: false,
    consent: { gpc: "anonymize", dnt: "anonymize" },
    topic: "analytics.events.v1",
    partitions: 6,
    logDir: ".data/log",
    kafka: undefined,
    logLevel: "info",
    otel: { enabled: false, serviceName: "analytics-ingest", endpoint: undefined },
  });
});

Deno.test("every variable is read", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/cert.pem`, "x");
    Deno.writeTextFileSync(`${dir}/key.pem`, "x");
    Deno.writeTextFileSync(
      `${dir}/keys.json`,
      JSON.stringify([{ source: "bots", sha256: hashWriteKey("other"), channels: ["chat"] }]),
    );
    const config = loadIngestConfig({
      INGEST_HOST: "0.0.0.0",
      INGEST_HTTP_PORT: "8443",
      INGEST_GRPC_PORT: "0",
      INGEST_TLS_CERT_FILE: `${dir}/cert.pem`,
      INGEST_TLS_KEY_FILE: `${dir}/key.pem`,
      INGEST_WRITE_KEYS: `site:${HASH}:web`,
      INGEST_WRITE_KEYS_FILE: `${dir}/keys.json`,
      INGEST_WRITE_KEYS_RELOAD_SECONDS: "2",
      INGEST_GPC_POLICY: "drop",
      INGEST_DNT_POLICY: "Ignore",
      INGEST_LEGACY_SOURCE: "legacy-site",
      INGEST_CORS_ORIGINS: "https://shop.example.com, http://localhost:8080",
      INGEST_MAX_REQUEST_BYTES: "2000000",
      INGEST_MAX_BATCH_EVENTS: "100",
      INGEST_MAX_EVENT_BYTES: "32768",
      INGEST_MAX_STREAM_EVENTS: "5000",
      INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "50",
      INGEST_RATE_LIMIT_BURST: "75",
      INGEST_STORE_FULL_IP: "true",
      INGEST_LOG_DIR: "/var/lib/ingest",
      KAFKA_BROKERS: "127.0.0.1:9092,kafka-2:9092",
      KAFKA_CLIENT_ID: "ingest-1",
      KAFKA_TOPIC_PARTITIONS: "12",
      KAFKA_EVENTS_TOPIC: "tenant-a.events.v1",
      KAFKA_COMPRESSION: "zstd",
      KAFKA_LINGER_MS: "20",
      KAFKA_REQUEST_TIMEOUT_MS: "5000",
      LOG_LEVEL: "debug",
      OTEL_DENO: "true",
      OTEL_SERVICE_NAME: "ingest-a",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
    });
    assertEquals(config.host, "0.0.0.0");
    assertEquals([config.httpPort, config.grpcPort], [8443, 0]);
    assertEquals(config.tls, { certFile: `${dir}/cert.pem`, keyFile: `${dir}/key.pem` });
    assertEquals(config.writeKeys.map((k) => [k.source, k.channels]), [
      ["site", new Set([Channel.WEB])],
      ["bots", new Set([Channel.CHAT])],
    ]);
    assertEquals(config.writeKeysFile?.path, `${dir}/keys.json`);
    assertEquals(config.writeKeysFile?.reloadMs, 2000);
    assertEquals(config.writeKeysFile?.keys, config.writeKeys.slice(1));
    assertEquals(config.consent, { gpc: "drop", dnt: "ignore" });
    assertEquals(config.legacySource, "legacy-site");
    assertEquals(config.corsOrigins, ["https://shop.example.com", "http://localhost:8080"]);
    assertEquals(config.limits, {
      maxRequestBytes: 2000000,
      maxBatchEvents: 100,
      maxEventBytes: 32768,
      maxStreamEvents: 5000,
      maxInFlightEvents: 5000,
    });
    assertEquals(config.rateLimit, { eventsPerSecond: 50, burst: 75 });
    assertEquals(config.storeFullIp, true);
    assertEquals(config.logDir, "/var/lib/ingest");
    assertEquals(config.partitions, 12);
    assertEquals(config.topic, "tenant-a.events.v1");
    assertEquals(config.kafka, {
      brokers: ["127.0.0.1:9092", "kafka-2:9092"],
      clientId: "ingest-1",
      compression: "zstd",
      lingerMs: 20,
      requestTimeoutMs: 5000,
      retentionMs: 604_800_000,
      deadLetterRetentionMs: 2_592_000_000,
    });
    assertEquals(config.logLevel, "debug");
    assertEquals(config.otel, {
      enabled: true,
      serviceName: "ingest-a",
      endpoint: "http://127.0.0.1:4318",
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a wrong value fails naming the variable", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ INGEST_HTTP_PORT: "http" }, /^Error: INGEST_HTTP_PORT: expected a whole number 0-65535/],
    [{ INGEST_GRPC_PORT: "70000" }, /^Error: INGEST_GRPC_PORT/],
    [{ INGEST_TLS_CERT_FILE: "/tmp/x.pem" }, /^Error: INGEST_TLS_KEY_FILE: must be set together/],
    [
      { INGEST_TLS_CERT_FILE: "/nonexistent/c", INGEST_TLS_KEY_FILE: "/nonexistent/k" },
      /^Error: INGEST_TLS_CERT_FILE: cannot read/,
    ],
    [{ INGEST_WRITE_KEYS: "site:plaintext" }, /^Error: INGEST_WRITE_KEYS\[0\]: expected the key's/],
    [{ INGEST_WRITE_KEYS_FILE: "/nonexistent.json" }, /^Error: INGEST_WRITE_KEYS_FILE: cannot/],
    [{ INGEST_WRITE_KEYS_RELOAD_SECONDS: "1.5" }, /^Error: INGEST_WRITE_KEYS_RELOAD_SECONDS/],
    [{ INGEST_GPC_POLICY: "block" }, /^Error: INGEST_GPC_POLICY: expected one of drop, anonym/],
    [{ INGEST_DNT_POLICY: "yes" }, /^Error: INGEST_DNT_POLICY/],
    [{ INGEST_LEGACY_SOURCE: "has space" }, /^Error: INGEST_LEGACY_SOURCE/],
    [{ INGEST_CORS_ORIGINS: "https://a.example/" }, /^Error: INGEST_CORS_ORIGINS: "https:/],
    [{ INGEST_CORS_ORIGINS: "shop.example.com" }, /^Error: INGEST_CORS_ORIGINS/],
    [{ INGEST_MAX_BATCH_EVENTS: "501" }, /^Error: INGEST_MAX_BATCH_EVENTS: expected .* 1-500/],
    [{ INGEST_MAX_BATCH_EVENTS: "-1" }, /^Error: INGEST_MAX_BATCH_EVENTS/],
    [{ INGEST_MAX_REQUEST_BYTES: "1.5" }, /^Error: INGEST_MAX_REQUEST_BYTES/],
    [
      { INGEST_MAX_REQUEST_BYTES: "4096", INGEST_MAX_EVENT_BYTES: "8192" },
      /^Error: INGEST_MAX_EVENT_BYTES: 8192 is more than INGEST_MAX_REQUEST_BYTES/,
    ],
    [{ INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "0" }, /^Error: INGEST_RATE_LIMIT_EVENTS_PER_SECOND/],
    [{ INGEST_RATE_LIMIT_BURST: "0" }, /^Error: INGEST_RATE_LIMIT_BURST/],
    [{ INGEST_STORE_FULL_IP: "maybe" }, /^Error: INGEST_STORE_FULL_IP: expected true or false/],
    [{ KAFKA_BROKERS: "localhost" }, /^Error: KAFKA_BROKERS: expected host:port/],
    [{ KAFKA_BROKERS: "k:9092", KAFKA_COMPRESSION: "brotli" }, /^Error: KAFKA_COMPRESSION/],
    [{ KAFKA_TOPIC_PARTITIONS: "0" }, /^Error: KAFKA_TOPIC_PARTITIONS/],
    [{ KAFKA_EVENTS_TOPIC: "a/b" }, /^Error: KAFKA_EVENTS_TOPIC: "a\/b" is not a Kafka topic/],
    [{ LOG_LEVEL: "verbose" }, /^Error: LOG_LEVEL/],
  ];
  for (const [env, pattern] of cases) {
    throws(() => loadIngestConfig(env), pattern, JSON.stringify(env));
  }
});

Deno.test("the same key inline and in the file is refused", () => {
  const file = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(file, JSON.stringify([{ source: "b", sha256: HASH }]));
    throws(
      () => loadIngestConfig({ INGEST_WRITE_KEYS: `a:${HASH}`, INGEST_WRITE_KEYS_FILE: file }),
      /^Error: INGEST_WRITE_KEYS_FILE: key .* configured twice/,
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("the default burst is twice the rate, and * is an explicit CORS choice", () => {
  const config = loadIngestConfig({
    INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "2.5",
    INGEST_CORS_ORIGINS: "*",
  });
  assertEquals(config.rateLimit, { eventsPerSecond: 2.5, burst: 5 });
  assertEquals(config.corsOrigins, ["*"]);
});
