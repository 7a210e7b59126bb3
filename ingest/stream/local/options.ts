/** Options of the embedded log, with their defaults and validation. */
import { DEFAULT_PARTITIONS } from "../topics.ts";
import type { RetentionPolicy } from "./retention.ts";

/** Receives notable events (a cut torn tail, a failed retention run) as structured fields. */
export type LocalLogLogger = (message: string, fields: Record<string, unknown>) => void;

/** Options of `openLocalLog`; every field but `dir` has a default. */
export interface LocalLogOptions {
  /** The log folder (e.g. `.data/log`); created when absent. */
  dir: string;
  /** Partitions of a topic created by this log. Default `DEFAULT_PARTITIONS` (6). */
  partitions?: number;
  /** Segment size at which a partition rolls to a new file. Default 64 MiB. */
  segmentBytes?: number;
  /** Largest encoded record (frame) accepted by `publish`. Default 8 MiB. */
  maxRecordBytes?: number;
  /**
   * `"always"` (default): a publish resolves after its bytes are fsynced (group commit).
   * `"never"`: after the write() only; survives a killed process but not a power loss.
   */
  fsync?: "always" | "never";
  /** Per-partition retention. Default: 7 days, no size limit, checked every 5 minutes. */
  retention?: RetentionPolicy & { checkIntervalMs?: number };
  /** How often a consumer looks at the files when no in-process writer wakes it. Default 20 ms. */
  pollIntervalMs?: number;
  /** Where notable events go. Default: one JSON line on stderr. */
  log?: LocalLogLogger;
}

/** Options with every default filled in. */
export type ResolvedLocalLogOptions = Required<Omit<LocalLogOptions, "retention">> & {
  retention: RetentionPolicy & { checkIntervalMs: number };
};

/** The hard bound on a frame body when reading; `maxRecordBytes` cannot exceed it. */
export const MAX_FRAME_BODY_BYTES = 256 << 20;

/** Fills in defaults and rejects invalid values, naming the option. */
export function resolveOptions(options: LocalLogOptions): ResolvedLocalLogOptions {
  const resolved: ResolvedLocalLogOptions = {
    dir: options.dir,
    partitions: options.partitions ?? DEFAULT_PARTITIONS,
    segmentBytes: options.segmentBytes ?? 64 << 20,
    maxRecordBytes: options.maxRecordBytes ?? 8 << 20,
    fsync: options.fsync ?? "always",
    retention: {
      maxAgeMs: options.retention?.maxAgeMs ?? 7 * 24 * 3600_000,
      maxBytes: options.retention?.maxBytes,
      checkIntervalMs: options.retention?.checkIntervalMs ?? 5 * 60_000,
    },
    pollIntervalMs: options.pollIntervalMs ?? 20,
    log: options.log ?? logToStderr,
  };
  if (!resolved.dir) throw new Error("local log option dir is required");
  requireInteger("partitions", resolved.partitions, 1, 10_000);
  requireInteger("segmentBytes", resolved.segmentBytes, 1024, 2 ** 40);
  requireInteger("maxRecordBytes", resolved.maxRecordBytes, 64, MAX_FRAME_BODY_BYTES);
  requireInteger("pollIntervalMs", resolved.pollIntervalMs, 1, 60_000);
  requireInteger("retention.checkIntervalMs", resolved.retention.checkIntervalMs, 1, 2 ** 31 - 1);
  if (resolved.fsync !== "always" && resolved.fsync !== "never") {
    throw new Error(`local log option fsync must be "always" or "never", got ${resolved.fsync}`);
  }
  return resolved;
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `local log option ${name} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}

function logToStderr(message: string, fields: Record<string, unknown>): void {
  const line = { level: "warn", time: new Date().toISOString(), msg: message, ...fields };
  console.error(JSON.stringify(line, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}
