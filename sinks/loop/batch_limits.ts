/** When a batch is full: by record count, by bytes, or by time since its first record. */

/** Limits of one batch; whichever is reached first closes it. */
export interface BatchLimits {
  /** Most records in a batch. Default 5 000. */
  maxRecords: number;
  /** Most value bytes in a batch (a batch may exceed it by its last record). Default 8 MiB. */
  maxBytes: number;
  /** Longest wait from the first record of a batch to its write, in ms. Default 1 000. */
  maxWaitMs: number;
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
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`batch limit ${name} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}

function definedOnly(limits: Partial<BatchLimits>): Partial<BatchLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
