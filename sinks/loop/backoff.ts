/** Capped exponential backoff with full jitter, and an abortable sleep. */

/** How the loop retries transient failures. */
export interface RetryPolicy {
  /** Delay before the first retry, in ms. Default 100. */
  initialDelayMs: number;
  /** Largest delay between two attempts, in ms. Default 10 000. */
  maxDelayMs: number;
  /** Growth factor per attempt. Default 2. */
  multiplier: number;
}

/** The default retry policy: 100 ms doubling up to 10 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
};

/**
 * Delay before retry number `attempt` (1-based): uniformly random in [cap/2, cap], where cap
 * grows from `initialDelayMs` by `multiplier` up to `maxDelayMs`. Half the cap is kept so
 * retries never come back-to-back; the random half spreads sinks restarting together.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** exponent);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Resolves after `ms`, or early with `false` when `signal` aborts (true when the time passed). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
