/**
 * The lake sink's configuration, read once from the environment at start-up and validated; a
 * wrong value fails with an Error naming the variable. docs/configuration.md ("Lake sink") lists
 * each variable with its default.
 *
 * @module
 */
import { type BatchLimits, DEFAULT_BATCH_LIMITS } from "../loop/batch_limits.ts";
import { DEFAULT_CACHE_MAX_BYTES, type FileCacheOptions } from "./storage/file_cache.ts";
import {
  readSinkHttpConfig,
  readSinkLogConfig,
  type SinkHttpConfig,
  type SinkLogConfig,
} from "../program/sink_env.ts";

/** Where the table lives: an S3 bucket prefix, or a local folder (the embedded default). */
export type LakeTarget =
  | {
    kind: "s3";
    endpoint: string;
    bucket: string;
    prefix: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  }
  | { kind: "local"; dir: string };

/** Everything the lake sink reads from the environment. */
export interface LakeSinkConfig {
  /** S3 when S3_ENDPOINT is set, else DELTA_TABLE_DIR. */
  target: LakeTarget;
  /** DELTA_TABLE_NAME: the table's name in metaData and its folder under S3_PREFIX. */
  tableName: string;
  /** DELTA_CHECKPOINT_INTERVAL: a checkpoint every this many commits (0: never). */
  checkpointInterval: number;
  /** DELTA_SINK_NAME: prefix of the `txn` app ids (`<name>-<partition>`). */
  sinkName: string;
  /**
   * DELTA_LOCAL_CACHE_DIR (default `.data/lake-cache`), DELTA_LOCAL_CACHE_MAX_BYTES (512 MiB):
   * local copies of an S3 table's data files, read by the event_id dedup.
   */
  cache: FileCacheOptions;
  /** SINK_BATCH_MAX_RECORDS, SINK_BATCH_MAX_BYTES, SINK_BATCH_MAX_WAIT_MS. */
  batch: BatchLimits;
  /** Kafka when KAFKA_BROKERS is set, else the embedded log in INGEST_LOG_DIR. */
  log: SinkLogConfig;
  /** SINK_HTTP_HOST, SINK_HTTP_PORT (default 3003), SINK_CORS_ORIGINS: /health and /ready. */
  http: SinkHttpConfig;
  /**
   * DELTA_VACUUM_INTERVAL_HOURS (default 24; 0: never) and DELTA_VACUUM_RETENTION_HOURS (default
   * 168): how often the sink vacuums, and how long removed files (old versions) are kept.
   */
  vacuum: { intervalMs: number; retentionMs: number };
}

/** Default port of the lake sink's HTTP listener. */
export const LAKE_SINK_HTTP_PORT = 3003;

/** Lake batches are larger than the hot sink's: fewer, bigger Parquet files and commits. */
export const LAKE_BATCH_DEFAULTS: BatchLimits = {
  ...DEFAULT_BATCH_LIMITS,
  maxRecords: 20_000,
  maxWaitMs: 5_000,
};

/** Reads and validates the configuration from `env` (default: the process environment). */
export function loadLakeSinkConfig(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): LakeSinkConfig {
  const value = (name: string) => {
    const v = env(name)?.trim();
    return v === "" ? undefined : v;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be an integer in [${min}, ${max}], got "${text}"`);
    }
    return n;
  };
  const { target, tableName } = readLakeTarget(env);
  const log = readSinkLogConfig(env, "analytics-sink-delta");
  return {
    target,
    tableName,
    checkpointInterval: integer("DELTA_CHECKPOINT_INTERVAL", 10, 0, 1_000_000),
    sinkName: value("DELTA_SINK_NAME") ?? log.groupId,
    cache: {
      dir: value("DELTA_LOCAL_CACHE_DIR") ?? ".data/lake-cache",
      maxBytes: integer(
        "DELTA_LOCAL_CACHE_MAX_BYTES",
        DEFAULT_CACHE_MAX_BYTES,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
    },
    batch: {
      maxRecords: integer("SINK_BATCH_MAX_RECORDS", LAKE_BATCH_DEFAULTS.maxRecords, 1, 1_000_000),
      maxBytes: integer("SINK_BATCH_MAX_BYTES", LAKE_BATCH_DEFAULTS.maxBytes, 1, 1 << 30),
      maxWaitMs: integer("SINK_BATCH_MAX_WAIT_MS", LAKE_BATCH_DEFAULTS.maxWaitMs, 1, 600_000),
    },
    log,
    http: readSinkHttpConfig(env, LAKE_SINK_HTTP_PORT),
    vacuum: {
      intervalMs: integer("DELTA_VACUUM_INTERVAL_HOURS", 24, 0, 24 * 366) * 3_600_000,
      retentionMs: integer("DELTA_VACUUM_RETENTION_HOURS", 168, 1, 24 * 3660) * 3_600_000,
    },
  };
}

/**
 * Reads where the lake table is (S3_ENDPOINT, S3_BUCKET, S3_PREFIX, S3_REGION, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, DELTA_TABLE_DIR, DELTA_TABLE_NAME): the lake sink's, and the hot sink's
 * for the admin deletions that rewrite lake files.
 */
export function readLakeTarget(
  env: (name: string) => string | undefined,
): { target: LakeTarget; tableName: string } {
  const value = (name: string) => {
    const v = env(name)?.trim();
    return v === "" ? undefined : v;
  };
  const tableName = value("DELTA_TABLE_NAME") ?? "analytics_events";
  if (!/^[A-Za-z0-9_.-]+$/.test(tableName)) {
    throw new Error(`DELTA_TABLE_NAME must be letters, digits, _ . or -, got "${tableName}"`);
  }
  const endpoint = value("S3_ENDPOINT");
  let target: LakeTarget;
  if (endpoint !== undefined) {
    if (!/^https?:\/\//.test(endpoint)) {
      throw new Error(`S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}"`);
    }
    const bucket = value("S3_BUCKET");
    if (bucket === undefined) throw new Error("S3_BUCKET must be set when S3_ENDPOINT is set");
    const base = (value("S3_PREFIX") ?? "lake").replace(/^\/+|\/+$/g, "");
    const accessKeyId = value("AWS_ACCESS_KEY_ID");
    const secretAccessKey = value("AWS_SECRET_ACCESS_KEY");
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new Error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
    }
    target = {
      kind: "s3",
      endpoint,
      bucket,
      prefix: base === "" ? tableName : `${base}/${tableName}`,
      region: value("S3_REGION") ?? "us-east-1",
      accessKeyId,
      secretAccessKey,
    };
  } else {
    target = { kind: "local", dir: value("DELTA_TABLE_DIR") ?? `.data/lake/${tableName}` };
  }
  return { target, tableName };
}
