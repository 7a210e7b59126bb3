/** Polls the consumer until a batch is full by count, bytes or time. */
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import type { BatchLimits } from "./batch_limits.ts";

/**
 * Collects records into one batch: the first poll waits up to `maxWaitMs` for anything; from
 * the first record on, polls continue until `maxRecords` or `maxBytes` is reached or `maxWaitMs`
 * has passed since that first record. Returns early (possibly empty) when `signal` aborts.
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
    if (records.length > 0 && left <= 0) break;
    const polled = await consumer.poll({
      maxRecords: limits.maxRecords - records.length,
      maxWaitMs: Math.max(0, left),
    });
    if (records.length === 0 && polled.length > 0) deadline = Date.now() + limits.maxWaitMs;
    for (const record of polled) {
      records.push(record);
      bytes += record.value.byteLength;
    }
    if (records.length >= limits.maxRecords || bytes >= limits.maxBytes) break;
    if (records.length === 0 && polled.length === 0) return records;
  }
  return records;
}
