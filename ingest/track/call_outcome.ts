import { Code, ConnectError } from "@connectrpc/connect";
import type { BatchResult } from "./ingest_batch.ts";

/**
 * Throws when nothing of a call could be stored although something valid was sent: `unavailable`
 * when the log failed (the client retries later), else `resource_exhausted` naming the rate
 * limit. A call whose events were all rejected is a normal answer, not an error.
 */
export function throwIfNothingStored(result: Omit<BatchResult, "results">): void {
  if (result.accepted > 0 || result.notStored === 0) return;
  if (result.publishFailed > 0) {
    throw new ConnectError(
      `event log unavailable: none of ${result.notStored} events could be stored; retry later`,
      Code.Unavailable,
    );
  }
  throw new ConnectError(
    result.rateLimitReason ?? "rate limit exceeded; retry later",
    Code.ResourceExhausted,
  );
}

/** Adds the results and counts of `next` to `total` in place (TrackStream's running answer). */
export function addBatchResult(total: BatchResult, next: BatchResult): void {
  for (const result of next.results) total.results.push(result);
  total.accepted += next.accepted;
  total.rejected += next.rejected;
  total.notStored += next.notStored;
  total.publishFailed += next.publishFailed;
  total.rateLimited += next.rateLimited;
  total.rateLimitReason = next.rateLimitReason ?? total.rateLimitReason;
}

/** An empty result, the start of a TrackStream's answer. */
export function emptyBatchResult(): BatchResult {
  return { results: [], accepted: 0, rejected: 0, notStored: 0, publishFailed: 0, rateLimited: 0 };
}
