import type { DecodedRecord } from "../../loop/sink_store.ts";

/**
 * Keeps the first record of each `event_id` (a batch is in offset order per partition, so that
 * is the earliest copy the log holds) and drops the later copies, keeping the batch's order.
 */
export function firstOfEachId(records: readonly DecodedRecord[]): DecodedRecord[] {
  const seen = new Set<string>();
  const kept: DecodedRecord[] = [];
  for (const record of records) {
    const id = record.event.eventId;
    if (seen.has(id)) continue;
    seen.add(id);
    kept.push(record);
  }
  return kept;
}
