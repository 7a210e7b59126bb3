/**
 * The variables both sink programs read the same way: the event log (Kafka consumer group or the
 * embedded log, the event topic) and the small HTTP port (/health, /ready, QueryService).
 */
import { checkCorsOrigins } from "../../ingest/config.ts";
import { checkTopicName, DEFAULT_PARTITIONS, EVENTS_TOPIC } from "../../ingest/stream/topics.ts";

/** Reads one variable; empty or blank counts as unset. */
export type EnvReader = (name: string) => string | undefined;

/** Where a sink reads events from. */
export type SinkLogConfig =
  | {
    kind: "kafka";
    brokers: string[];
    groupId: string;
    clientId: string;
    /** KAFKA_EVENTS_TOPIC; dead letters go to `<topic>.dlq`. */
    topic: string;
    /** KAFKA_TOPIC_PARTITIONS, used when the sink creates missing topics. */
    partitions: number;
    /** KAFKA_SESSION_TIMEOUT_MS: how soon the group notices a dead member. */
    sessionTimeoutMs: number;
  }
  | { kind: "local"; dir: string; groupId: string; topic: string; partitions: number };

/** The sink's HTTP listener: /health, /ready, and QueryService on the hot sink. */
export interface SinkHttpConfig {
  /** SINK_HTTP_HOST. */
  host: string;
  /** SINK_HTTP_PORT; 0 picks a free port. */
  port: number;
  /** SINK_CORS_ORIGINS: browser origins allowed to call (`*` for any). */
  corsOrigins: string[];
}

/** Default Kafka session timeout of a sink member, in milliseconds. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/** A reader of `env` that treats blank values as unset and names the variable in errors. */
export function envValues(env: EnvReader) {
  const value = (name: string) => {
    const v = env(name)?.trim();
    return v === "" ? undefined : v;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be an integer in [${min}, ${max}], got "${text}"`);
    }
    return n;
  };
  return { value, integer };
}

/** Reads the event-log variables of a sink whose default consumer group is `defaultGroup`. */
export function readSinkLogConfig(env: EnvReader, defaultGroup: string): SinkLogConfig {
  const { value, integer } = envValues(env);
  const groupId = value("KAFKA_GROUP_ID") ?? defaultGroup;
  const topic = checkTopicName("KAFKA_EVENTS_TOPIC", value("KAFKA_EVENTS_TOPIC") ?? EVENTS_TOPIC);
  const partitions = integer("KAFKA_TOPIC_PARTITIONS", DEFAULT_PARTITIONS, 1, 10_000);
  const brokers = value("KAFKA_BROKERS")?.split(",").map((b) => b.trim()).filter(Boolean);
  if (!brokers?.length) {
    return {
      kind: "local",
      dir: value("INGEST_LOG_DIR") ?? ".data/log",
      groupId,
      topic,
      partitions,
    };
  }
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(broker)) {
      throw new Error(`KAFKA_BROKERS: expected host:port entries, got "${broker}"`);
    }
  }
  return {
    kind: "kafka",
    brokers,
    groupId,
    clientId: value("KAFKA_CLIENT_ID") ?? defaultGroup,
    topic,
    partitions,
    sessionTimeoutMs: integer(
      "KAFKA_SESSION_TIMEOUT_MS",
      DEFAULT_SESSION_TIMEOUT_MS,
      1_000,
      600_000,
    ),
  };
}

/** Reads SINK_HTTP_HOST, SINK_HTTP_PORT (default `defaultPort`) and SINK_CORS_ORIGINS. */
export function readSinkHttpConfig(env: EnvReader, defaultPort: number): SinkHttpConfig {
  const { value, integer } = envValues(env);
  const origins = (value("SINK_CORS_ORIGINS") ?? "").split(",").map((o) => o.trim())
    .filter(Boolean);
  return {
    host: value("SINK_HTTP_HOST") ?? "127.0.0.1",
    port: integer("SINK_HTTP_PORT", defaultPort, 0, 65_535),
    corsOrigins: checkCorsOrigins("SINK_CORS_ORIGINS", origins),
  };
}
