/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): the n-th retry waits a uniformly random time in [0, min(cap, base · 2^n)), so clients
 * that failed together do not come back together.
 *
 * @module
 */

/** Backoff bounds, in milliseconds. */
export interface BackoffOptions {
  /** First ceiling. Default 500 ms. */
  baseMs?: number;
  /** Highest ceiling. Default 60 s. */
  maxMs?: number;
}

/** The wait before retry number `attempt` (0 for the first retry); `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const base = options.baseMs ?? 500;
  const cap = options.maxMs ?? 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceiling);
}
