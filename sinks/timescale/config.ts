/**
 * The hot sink's configuration, read once from the environment at start-up and validated; a
 * wrong value fails with an Error naming the variable. docs/configuration.md ("Hot sink") lists
 * each variable with its default.
 *
 * @module
 */
import { type BatchLimits, DEFAULT_BATCH_LIMITS } from "../loop/batch_limits.ts";
import {
  readSinkHttpConfig,
  readSinkLogConfig,
  type SinkHttpConfig,
  type SinkLogConfig,
} from "../program/sink_env.ts";
import { parseAdminKeyHashes } from "../admin/auth/admin_keys.ts";
import { type LakeTarget, readLakeTarget } from "../delta/config.ts";
import type { HotStoreTarget } from "./open_hot_store.ts";
import type { TimescaleMode } from "./timescaledb.ts";

/**
 * The hot store is read for freshness: a batch is written as soon as the log has had nothing new
 * for this long (adaptive batching), not after SINK_BATCH_MAX_WAIT_MS.
 */
export const HOT_BATCH_IDLE_MS = 10;

/**
 * The hot sink's default SINK_BATCH_MAX_WAIT_MS. Under a steady stream the log is never idle for
 * HOT_BATCH_IDLE_MS, so batches close at this wait: short, for freshness (the lake waits longer).
 * Batches still grow to SINK_BATCH_MAX_RECORDS under load, as records pile up during each write.
 */
export const HOT_BATCH_MAX_WAIT_MS = 250;

/** Everything the hot sink reads from the environment. */
export interface HotSinkConfig {
  /** PostgreSQL at DATABASE_URL, else PGlite in SINK_PGLITE_DIR. */
  target: HotStoreTarget;
  /** SINK_BATCH_MAX_RECORDS, SINK_BATCH_MAX_BYTES, SINK_BATCH_MAX_WAIT_MS. */
  batch: BatchLimits;
  /** TIMESCALEDB: on, off or auto. */
  timescale: TimescaleMode;
  /** Kafka when KAFKA_BROKERS is set, else the embedded log in INGEST_LOG_DIR. */
  log: SinkLogConfig;
  /** SINK_HTTP_HOST, SINK_HTTP_PORT (default 3002), SINK_CORS_ORIGINS: /health, /ready, QueryService. */
  http: SinkHttpConfig;
  /** HOT_RETENTION_DAYS: daily partitions (or Timescale chunks) older than this go; 0 keeps all. */
  retentionDays: number;
  /** AdminService (docs/privacy.md); served only when `keyHashes` is not empty. */
  admin: AdminConfig;
}

/** The admin operations the hot sink serves, and what they reach. */
export interface AdminConfig {
  /** ADMIN_KEY_HASHES: SHA-256 hex hashes of the admin keys (separate from write keys). */
  keyHashes: string[];
  /** ADMIN_SUPPRESSION_SETTLE_MS: wait between suppressing ids and deleting their events. */
  settleMs: number;
  /** The lake table deletions rewrite: the lake sink's S3_* / DELTA_TABLE_* variables. */
  lake: LakeTarget;
  /** DELTA_CHECKPOINT_INTERVAL, honoured by the deletion commits. */
  lakeCheckpointInterval: number;
}

/** Default port of the hot sink's HTTP listener. */
export const HOT_SINK_HTTP_PORT = 3002;

/** Reads and validates the configuration from `env` (default: the process environment). */
export function loadHotSinkConfig(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): HotSinkConfig {
  const value = (name: string) => {
    const v = env(name)?.trim();
    return v === "" ? undefined : v;
  };
  const integer = (name: string, fallback: number, max: number, min = 1) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be an integer in [${min}, ${max}], got "${text}"`);
    }
    return n;
  };
  const url = value("DATABASE_URL");
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `DATABASE_URL must be a postgres:// URL, got "${url.replace(/:[^:@/]*@/, ":***@")}"`,
    );
  }
  const timescale = (value("TIMESCALEDB") ?? "off").toLowerCase();
  if (timescale !== "on" && timescale !== "off" && timescale !== "auto") {
    throw new Error(`TIMESCALEDB must be on, off or auto, got "${timescale}"`);
  }
  return {
    target: url ? { kind: "postgres", url } : {
      kind: "pglite",
      dir: value("SINK_PGLITE_DIR") ?? ".data/pglite",
    },
    batch: {
      maxRecords: integer("SINK_BATCH_MAX_RECORDS", DEFAULT_BATCH_LIMITS.maxRecords, 1_000_000),
      maxBytes: integer("SINK_BATCH_MAX_BYTES", DEFAULT_BATCH_LIMITS.maxBytes, 1 << 30),
      maxWaitMs: integer("SINK_BATCH_MAX_WAIT_MS", HOT_BATCH_MAX_WAIT_MS, 600_000),
      idleMs: HOT_BATCH_IDLE_MS,
    },
    timescale,
    log: readSinkLogConfig(env, "analytics-sink-timescale"),
    http: readSinkHttpConfig(env, HOT_SINK_HTTP_PORT),
    retentionDays: integer("HOT_RETENTION_DAYS", 400, 36_600, 0),
    admin: {
      keyHashes: parseAdminKeyHashes(value("ADMIN_KEY_HASHES") ?? "", "ADMIN_KEY_HASHES"),
      settleMs: integer("ADMIN_SUPPRESSION_SETTLE_MS", 2_000, 600_000, 0),
      lake: readLakeTarget(env).target,
      lakeCheckpointInterval: integer("DELTA_CHECKPOINT_INTERVAL", 10, 1_000_000, 0),
    },
  };
}
