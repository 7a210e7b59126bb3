/** Polls the consumer until a batch is full by count, bytes or time. */
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import type { BatchLimits } from "./batch_limits.ts";

/**
 * Collects records into one batch: the first poll waits up to `maxWaitMs` for anything; from
 * the first record on, polls continue until `maxRecords` or `maxBytes` is reached or `maxWaitMs`
 * has passed since that first record, or (with `idleMs`) until a poll of `idleMs` brought
 * nothing. Returns early (possibly empty) when `signal` aborts.
 */
export async function collectBatch(
  consumer: Consumer,
  limits: BatchLimits,
  signal?: AbortSignal,
): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  let bytes = 0;
  let deadline = Date.now() + limits.maxWaitMs;
  while (!signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    // Waits in slices, so a stop signal is noticed within one slice, not a whole batch wait.
    const idle = records.length > 0 && limits.idleMs !== undefined;
    const polled = await consumer.poll({
      maxRecords: limits.maxRecords - records.length,
      maxWaitMs: Math.min(left, idle ? limits.idleMs! : POLL_SLICE_MS),
    });
    if (idle && polled.length === 0) break;
    if (records.length === 0 && polled.length > 0) deadline = Date.now() + limits.maxWaitMs;
    for (const record of polled) {
      records.push(record);
      bytes += record.value.byteLength;
    }
    if (records.length >= limits.maxRecords || bytes >= limits.maxBytes) break;
  }
  return records;
}

/** Longest single wait on the consumer: how late a stop signal can be noticed. */
export const POLL_SLICE_MS = 250;
