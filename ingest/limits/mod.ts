/**
 * Limits of the ingest: per-key event rate, request size and batch size, with the wording every
 * protocol shares.
 *
 * @module
 */
export { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
export { TokenBucket } from "./token_bucket.ts";
export {
  batchTooLargeMessage,
  checkBatchSize,
  checkRequestSize,
  rateLimitedReason,
  requestTooLargeMessage,
} from "./request_limits.ts";
