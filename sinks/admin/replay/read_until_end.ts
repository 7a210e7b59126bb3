import type { Consumer } from "../../../ingest/stream/consumer.ts";
import type { ConsumedRecord } from "../../../ingest/stream/record.ts";

/** Longest wait for a record when some partition has not reached its end yet. */
const IDLE_MS = 5_000;

/**
 * Polls `consumer` and hands each batch to `handle` (then commits the offsets after it), until
 * every partition has reached `ends` (or `stopAt`, when given, per partition), `maxRecords` were
 * read (0: no limit), or nothing arrived for a while (a partition whose committed offset is
 * already at its end sends nothing). Records at or past a partition's end are not handed over.
 * `starts` are the positions the consumer was moved to (a partition starting at its end is done).
 */
export async function readUntilEnd(
  consumer: Consumer,
  ends: Map<number, bigint>,
  maxRecords: number,
  handle: (records: ConsumedRecord[]) => Promise<void>,
  options: { starts?: Map<number, bigint>; commit?: boolean } = {},
): Promise<number> {
  const position = new Map<number, bigint>(options.starts ?? []);
  const done = () =>
    [...ends].every(([partition, end]) => end === 0n || (position.get(partition) ?? -1n) >= end);
  let read = 0;
  let idleSince = Date.now();
  while (!done() && (maxRecords === 0 || read < maxRecords)) {
    const limit = maxRecords === 0 ? 1_000 : Math.min(1_000, maxRecords - read);
    const polled = await consumer.poll({ maxRecords: limit, maxWaitMs: 500 });
    const records = polled.filter((r) => r.offset < (ends.get(r.partition) ?? 0n));
    for (const r of polled) {
      const next = r.offset + 1n;
      if (next > (position.get(r.partition) ?? -1n)) position.set(r.partition, next);
    }
    if (polled.length === 0) {
      if (Date.now() - idleSince > IDLE_MS && consumer.assignment().length > 0) break;
      continue;
    }
    idleSince = Date.now();
    if (records.length > 0) {
      await handle(records);
      read += records.length;
    }
    const commit = new Map<number, bigint>();
    for (const r of records) {
      const next = r.offset + 1n;
      if (next > (commit.get(r.partition) ?? -1n)) commit.set(r.partition, next);
    }
    if (commit.size > 0 && options.commit !== false) await consumer.commit(commit);
  }
  return read;
}
