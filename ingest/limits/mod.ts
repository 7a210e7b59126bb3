/**
 * Limits of the ingest: per-key event rate, request size and batch size, events in flight, with the wording every
 * protocol shares.
 *
 * @module
 */
export { deadlineReason, InFlightGate, overloadedReason } from "./in_flight_gate.ts";
export { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
export { TokenBucket } from "./token_bucket.ts";
export {
  batchTooLargeMessage,
  checkBatchSize,
  checkRequestSize,
  rateLimitedReason,
  requestTooLargeMessage,
} from "./request_limits.ts";
