import type { RateLimit } from "../auth/write_key.ts";
import { TokenBucket } from "./token_bucket.ts";

/** Options of a rate limiter. */
export interface RateLimiterOptions {
  /** The limit of keys that configure none of their own. */
  defaultLimit: RateLimit;
  /** Clock in milliseconds; `performance.now` by default (monotonic). */
  now?: () => number;
}

/**
 * Per-key token buckets: each write key (or the legacy source) may store `eventsPerSecond`
 * events a second on average and `burst` at once. One process's view: with several ingest
 * replicas each applies the limit on its own.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #defaultLimit: RateLimit;
  readonly #now: () => number;

  /** A limiter whose buckets start full. */
  constructor(options: RateLimiterOptions) {
    this.#defaultLimit = options.defaultLimit;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The limit that applies to a key with the given override. */
  limitFor(override: RateLimit | undefined): RateLimit {
    return override ?? this.#defaultLimit;
  }

  /** Takes up to `wanted` events from the bucket of `id` and returns how many may be stored. */
  take(id: string, wanted: number, override?: RateLimit): number {
    const limit = this.limitFor(override);
    const now = this.#now();
    let bucket = this.#buckets.get(id);
    if (
      bucket === undefined || bucket.perSecond !== limit.eventsPerSecond ||
      bucket.burst !== limit.burst
    ) {
      bucket = new TokenBucket(limit.eventsPerSecond, limit.burst, now);
      this.#buckets.set(id, bucket);
    }
    return bucket.take(wanted, now);
  }
}
