/**
 * The ingest's configuration: every environment variable it reads, read once at start-up and
 * validated. A wrong value fails start-up with an Error naming the variable and the problem.
 * docs/configuration.md lists each variable with its default.
 *
 * @module
 */
import { parseWriteKeys, type RateLimit, type WriteKeyRecord } from "./auth/write_key.ts";
import { isLogLevel, type LogLevel } from "./observability/logger.ts";
import type { KafkaCompression } from "./stream/kafka/options.ts";
import { checkTopicName, DEFAULT_PARTITIONS, EVENTS_TOPIC } from "./stream/topics.ts";

/** TLS files; with TLS, one port serves every protocol (ALPN picks HTTP/1.1 or HTTP/2). */
export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

/** INGEST_WRITE_KEYS_FILE: where it is, what it held at start-up, how often it is re-read. */
export interface WriteKeysFileConfig {
  path: string;
  /** The file's text at start-up. */
  text: string;
  /** The records read from it at start-up (the same objects as in `writeKeys`). */
  keys: WriteKeyRecord[];
  /** Milliseconds between reads (INGEST_WRITE_KEYS_RELOAD_SECONDS); 0 = only on SIGHUP. */
  reloadMs: number;
}

/** Size and count limits of requests. */
export interface RequestLimits {
  /** Largest request body in bytes (INGEST_MAX_REQUEST_BYTES). */
  maxRequestBytes: number;
  /** Most events in one Track request or one TrackStream message (INGEST_MAX_BATCH_EVENTS). */
  maxBatchEvents: number;
  /** Largest encoded event in bytes (INGEST_MAX_EVENT_BYTES). */
  maxEventBytes: number;
  /** Most events over one TrackStream call (INGEST_MAX_STREAM_EVENTS). */
  maxStreamEvents: number;
  /** Most events awaiting the log at once; batches beyond are shed (INGEST_MAX_IN_FLIGHT_EVENTS). */
  maxInFlightEvents: number;
}

/** Kafka publisher settings; present only when KAFKA_BROKERS is set. */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  compression: KafkaCompression;
  lingerMs: number;
  requestTimeoutMs: number;
  /** KAFKA_RETENTION_MS: `retention.ms` the ingest sets on the event topic (7 days). */
  retentionMs: number;
  /** KAFKA_DLQ_RETENTION_MS: `retention.ms` of the dead-letter topic (30 days). */
  deadLetterRetentionMs: number;
}

export type { KafkaCompression };

/** OpenTelemetry settings; Deno itself reads them, the ingest only reports them. */
export interface OtelConfig {
  enabled: boolean;
  serviceName: string;
  endpoint: string | undefined;
}

/** What the ingest does with an event that carries a privacy signal (docs/consent.md). */
export type ConsentPolicy = "drop" | "anonymize" | "ignore";

/** The consent policy per signal: Global Privacy Control and Do Not Track. */
export interface ConsentConfig {
  /** `Sec-GPC: 1` or `client.global_privacy_control` (INGEST_GPC_POLICY). */
  gpc: ConsentPolicy;
  /** `DNT: 1` or `client.do_not_track` (INGEST_DNT_POLICY). */
  dnt: ConsentPolicy;
}

/** The ingest's whole configuration. */
export interface IngestConfig {
  host: string;
  httpPort: number;
  grpcPort: number;
  tls: TlsConfig | undefined;
  /** Configured write keys (hashed), from INGEST_WRITE_KEYS and INGEST_WRITE_KEYS_FILE. */
  writeKeys: WriteKeyRecord[];
  /** The key file, re-read while the ingest runs; undefined without INGEST_WRITE_KEYS_FILE. */
  writeKeysFile: WriteKeysFileConfig | undefined;
  /** Source of `POST /analytics` events sent without a key; "" turns the endpoint off. */
  legacySource: string;
  /** Origins allowed by CORS; `*` only when listed. */
  corsOrigins: string[];
  limits: RequestLimits;
  /** Rate limit of keys that set none of their own. */
  rateLimit: RateLimit;
  /** Keep full client IPs instead of anonymising them. */
  storeFullIp: boolean;
  /** What privacy signals do to an event. */
  consent: ConsentConfig;
  /** The event topic (KAFKA_EVENTS_TOPIC); dead letters go to `<topic>.dlq`. */
  topic: string;
  /** Partitions of the event topic, in Kafka and in the embedded log alike. */
  partitions: number;
  /** Folder of the embedded log (used when `kafka` is undefined). */
  logDir: string;
  kafka: KafkaConfig | undefined;
  logLevel: LogLevel;
  otel: OtelConfig;
}

/** Defaults of the numeric limits, in one place for docs and tests. */
export const DEFAULTS = {
  httpPort: 3001,
  grpcPort: 50051,
  maxRequestBytes: 1024 * 1024,
  maxBatchEvents: 500,
  maxEventBytes: 64 * 1024,
  maxStreamEvents: 100_000,
  maxInFlightEvents: 5_000,
  rateLimitEventsPerSecond: 10_000,
  kafkaLingerMs: 5,
  kafkaRequestTimeoutMs: 5_000,
  kafkaRetentionMs: 7 * 86_400_000,
  kafkaDeadLetterRetentionMs: 30 * 86_400_000,
  writeKeysReloadSeconds: 5,
} as const;

/** The batch limit the schema documents (TrackRequest.events max_items); config may only lower it. */
const SCHEMA_MAX_BATCH_EVENTS = 500;

const COMPRESSIONS: readonly KafkaCompression[] = ["none", "gzip", "snappy", "lz4", "zstd"];

const CONSENT_POLICIES: readonly ConsentPolicy[] = ["drop", "anonymize", "ignore"];

/** Reads and validates the ingest's configuration from `env` (the process environment by default). */
export function loadIngestConfig(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): IngestConfig {
  const read = reader(env);
  const maxRequestBytes = read.integer("INGEST_MAX_REQUEST_BYTES", DEFAULTS.maxRequestBytes, 1024);
  const maxEventBytes = read.integer("INGEST_MAX_EVENT_BYTES", DEFAULTS.maxEventBytes, 256);
  if (maxEventBytes > maxRequestBytes) {
    throw new Error(
      `INGEST_MAX_EVENT_BYTES: ${maxEventBytes} is more than INGEST_MAX_REQUEST_BYTES ` +
        `(${maxRequestBytes}); an event that large could never arrive`,
    );
  }
  const eventsPerSecond = read.number(
    "INGEST_RATE_LIMIT_EVENTS_PER_SECOND",
    DEFAULTS.rateLimitEventsPerSecond,
  );
  const brokers = read.list("KAFKA_BROKERS");
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(broker)) {
      throw new Error(`KAFKA_BROKERS: expected host:port entries, got "${broker}"`);
    }
  }
  const logLevel = read.string("LOG_LEVEL", "info");
  if (!isLogLevel(logLevel)) {
    throw new Error(`LOG_LEVEL: expected debug, info, warn or error, got "${logLevel}"`);
  }
  const legacySource = read.string("INGEST_LEGACY_SOURCE", "");
  if (legacySource !== "" && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(legacySource)) {
    throw new Error(
      `INGEST_LEGACY_SOURCE: "${legacySource}" must be 1-64 letters, digits, ".", "_" or "-"`,
    );
  }
  return {
    host: read.string("INGEST_HOST", "127.0.0.1"),
    httpPort: read.port("INGEST_HTTP_PORT", DEFAULTS.httpPort),
    grpcPort: read.port("INGEST_GRPC_PORT", DEFAULTS.grpcPort),
    tls: readTls(read),
    ...readWriteKeys(read),
    legacySource,
    corsOrigins: readCorsOrigins(read),
    limits: {
      maxRequestBytes,
      maxBatchEvents: read.integer(
        "INGEST_MAX_BATCH_EVENTS",
        DEFAULTS.maxBatchEvents,
        1,
        SCHEMA_MAX_BATCH_EVENTS,
      ),
      maxEventBytes,
      maxStreamEvents: read.integer("INGEST_MAX_STREAM_EVENTS", DEFAULTS.maxStreamEvents, 1),
      maxInFlightEvents: read.integer(
        "INGEST_MAX_IN_FLIGHT_EVENTS",
        DEFAULTS.maxInFlightEvents,
        1,
      ),
    },
    rateLimit: {
      eventsPerSecond,
      burst: read.integer(
        "INGEST_RATE_LIMIT_BURST",
        Math.max(1, Math.ceil(eventsPerSecond * 2)),
        1,
      ),
    },
    storeFullIp: read.boolean("INGEST_STORE_FULL_IP", false),
    consent: {
      gpc: read.choice("INGEST_GPC_POLICY", CONSENT_POLICIES, "anonymize"),
      dnt: read.choice("INGEST_DNT_POLICY", CONSENT_POLICIES, "anonymize"),
    },
    topic: checkTopicName("KAFKA_EVENTS_TOPIC", read.string("KAFKA_EVENTS_TOPIC", EVENTS_TOPIC)),
    partitions: read.integer("KAFKA_TOPIC_PARTITIONS", DEFAULT_PARTITIONS, 1, 10_000),
    logDir: read.string("INGEST_LOG_DIR", ".data/log"),
    kafka: brokers.length === 0 ? undefined : {
      brokers,
      clientId: read.string("KAFKA_CLIENT_ID", "analytics-ingest"),
      compression: read.choice("KAFKA_COMPRESSION", COMPRESSIONS, "gzip"),
      lingerMs: read.integer("KAFKA_LINGER_MS", DEFAULTS.kafkaLingerMs, 0, 60_000),
      requestTimeoutMs: read.integer(
        "KAFKA_REQUEST_TIMEOUT_MS",
        DEFAULTS.kafkaRequestTimeoutMs,
        100,
        600_000,
      ),
      retentionMs: read.integer("KAFKA_RETENTION_MS", DEFAULTS.kafkaRetentionMs, 60_000, 2 ** 52),
      deadLetterRetentionMs: read.integer(
        "KAFKA_DLQ_RETENTION_MS",
        DEFAULTS.kafkaDeadLetterRetentionMs,
        60_000,
        2 ** 52,
      ),
    },
    logLevel,
    otel: {
      enabled: read.boolean("OTEL_DENO", false),
      serviceName: read.string("OTEL_SERVICE_NAME", "analytics-ingest"),
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined,
    },
  };
}

function readTls(read: Reader): TlsConfig | undefined {
  const certFile = read.string("INGEST_TLS_CERT_FILE", "");
  const keyFile = read.string("INGEST_TLS_KEY_FILE", "");
  if (certFile === "" && keyFile === "") return undefined;
  if (certFile === "" || keyFile === "") {
    const missing = certFile === "" ? "INGEST_TLS_CERT_FILE" : "INGEST_TLS_KEY_FILE";
    throw new Error(`${missing}: must be set together with the other TLS file, or neither`);
  }
  requireFile("INGEST_TLS_CERT_FILE", certFile);
  requireFile("INGEST_TLS_KEY_FILE", keyFile);
  return { certFile, keyFile };
}

function readWriteKeys(
  read: Reader,
): Pick<IngestConfig, "writeKeys" | "writeKeysFile"> {
  const inline = parseWriteKeys(read.string("INGEST_WRITE_KEYS", ""), "INGEST_WRITE_KEYS");
  const reloadSeconds = read.integer(
    "INGEST_WRITE_KEYS_RELOAD_SECONDS",
    DEFAULTS.writeKeysReloadSeconds,
    0,
    86_400,
  );
  const path = read.string("INGEST_WRITE_KEYS_FILE", "");
  if (path === "") return { writeKeys: inline, writeKeysFile: undefined };
  requireFile("INGEST_WRITE_KEYS_FILE", path);
  const text = Deno.readTextFileSync(path);
  const fromFile = parseWriteKeys(text, `INGEST_WRITE_KEYS_FILE (${path})`);
  const keys = [...inline, ...fromFile];
  const hashes = new Set<string>();
  for (const key of keys) {
    if (hashes.has(key.keyHash)) {
      throw new Error(
        `INGEST_WRITE_KEYS_FILE: key ${key.keyHash.slice(0, 12)}… (source "${key.source}") is ` +
          "configured twice",
      );
    }
    hashes.add(key.keyHash);
  }
  return {
    writeKeys: keys,
    writeKeysFile: { path, text, keys: fromFile, reloadMs: reloadSeconds * 1000 },
  };
}

function readCorsOrigins(read: Reader): string[] {
  return checkCorsOrigins("INGEST_CORS_ORIGINS", read.list("INGEST_CORS_ORIGINS"));
}

/** Checks a CORS allowlist read from `variable`: exact origins, or `*`; throws naming it. */
export function checkCorsOrigins(variable: string, origins: string[]): string[] {
  for (const origin of origins) {
    if (origin === "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed.origin !== origin) {
      throw new Error(
        `${variable}: "${origin}" is not an origin like https://shop.example.com ` +
          "(scheme, host and port only, no path or trailing slash), or *",
      );
    }
  }
  return origins;
}

function requireFile(variable: string, path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    throw new Error(`${variable}: cannot read "${path}" (${(error as Error).message})`);
  }
  if (!info.isFile) throw new Error(`${variable}: "${path}" is not a file`);
}

type Reader = ReturnType<typeof reader>;

function reader(env: Record<string, string | undefined>) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  return {
    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    list(name: string): string[] {
      return (raw(name) ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
    },
    integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}-${max}`;
        throw new Error(`${name}: expected a whole number ${range}, got "${value}"`);
      }
      return parsed;
    },
    number(name: string, fallback: number): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed <= 0) {
        throw new Error(`${name}: expected a number above 0, got "${value}"`);
      }
      return parsed;
    },
    port(name: string, fallback: number): number {
      return this.integer(name, fallback, 0, 65535);
    },
    boolean(name: string, fallback: boolean): boolean {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (["true", "1", "yes"].includes(value)) return true;
      if (["false", "0", "no"].includes(value)) return false;
      throw new Error(`${name}: expected true or false, got "${raw(name)}"`);
    },
    choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (!(choices as readonly string[]).includes(value)) {
        throw new Error(`${name}: expected one of ${choices.join(", ")}, got "${raw(name)}"`);
      }
      return value as T;
    },
  };
}
