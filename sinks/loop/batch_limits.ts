/**
 * When a batch is full: by record count, by bytes, or by time since its first record; or, for a
 * store that wants freshness first, as soon as the log has nothing more to give.
 */

/** Limits of one batch; whichever is reached first closes it. */
export interface BatchLimits {
  /** Most records in a batch. Default 5 000. */
  maxRecords: number;
  /** Most value bytes in a batch (a batch may exceed it by its last record). Default 8 MiB. */
  maxBytes: number;
  /** Longest wait from the first record of a batch to its write, in ms. Default 1 000. */
  maxWaitMs: number;
  /**
   * Adaptive batching: a batch closes as soon as the consumer had nothing new for this many ms,
   * so a quiet log is written at once and a busy one in batches that grow with the load (records
   * pile up while the previous batch is written). Default: none, batches wait for `maxWaitMs`.
   */
  idleMs?: number;
}

/** The default batch limits. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxRecords: 5_000,
  maxBytes: 8 << 20,
  maxWaitMs: 1_000,
};

/** Fills in defaults and rejects values that are not positive integers, naming the limit. */
export function resolveBatchLimits(limits: Partial<BatchLimits> = {}): BatchLimits {
  const resolved = { ...DEFAULT_BATCH_LIMITS, ...definedOnly(limits) };
  for (const [name, value] of Object.entries(resolved)) {
    if (name === "idleMs" && value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`batch limit ${name} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}

function definedOnly(limits: Partial<BatchLimits>): Partial<BatchLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
