import { fromBinary } from "@bufbuild/protobuf";
import { type Event, EventSchema } from "@analytics/schema";
import type { Logger } from "../../../ingest/observability/logger.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "../../../ingest/stream/topics.ts";
import type { SuppressionList } from "../../../ingest/suppression/mod.ts";
import type { DecodedRecord, SinkStore } from "../../loop/sink_store.ts";
import type { RebuildCounts } from "../replay_counts.ts";
import type { LogAccess } from "./log_access.ts";
import { readUntilEnd } from "./read_until_end.ts";

/** What a rebuild reads and where it writes. */
export interface RebuildRangeOptions {
  log: LogAccess;
  topic: string;
  partitions: number;
  /** The store to write, through its normal (idempotent) `write`. */
  store: SinkStore;
  suppression: Pick<SuppressionList, "fieldOf" | "refresh">;
  /** Records appended at or after `from` and before `to` (the log's append time). */
  from: Date;
  to: Date;
  logger: Logger;
}

/**
 * Rebuilds a store for a time range from the event topic: a consumer of a group of its own is
 * moved to each partition's first offset at `from` and reads up to the first offset at `to`;
 * each batch goes through the store's normal `write` (the hot store's dedup insert, the lake's
 * Delta commit with event-id dedup), so rows already there are not doubled. Events of suppressed
 * ids are skipped; records that are not events of our schema are counted and left to the
 * dead-letter path. Only what the topic still holds (its retention) can be rebuilt.
 */
export async function rebuildRange(options: RebuildRangeOptions): Promise<RebuildCounts> {
  const { log, topic, partitions } = options;
  await options.suppression.refresh();
  const starts = await log.offsetsAt(topic, partitions, options.from);
  const stops = await log.offsetsAt(topic, partitions, options.to);
  const counts: RebuildCounts = { read: 0, written: 0, suppressed: 0, undecodable: 0 };
  if ([...stops].every(([p, stop]) => stop <= (starts.get(p) ?? stop))) return counts;
  const consumer = await log.consumer(topic, `rebuild-${crypto.randomUUID()}`);
  try {
    // A fresh group's only member is assigned every partition; wait for that, then move it.
    const deadline = Date.now() + 30_000;
    while (consumer.assignment().length < partitions) {
      if (Date.now() > deadline) throw new Error(`rebuild: ${topic} was not assigned in time`);
      await consumer.poll({ maxRecords: 1, maxWaitMs: 200 }).then((early) => {
        if (early.length > 0) consumer.seek(early[0].partition, starts.get(early[0].partition)!);
      });
    }
    for (const [partition, offset] of starts) consumer.seek(partition, offset);
    await readUntilEnd(consumer, stops, 0, async (records) => {
      const batch: DecodedRecord[] = [];
      const lastOffsets = new Map<number, bigint>();
      for (const record of records) {
        if (record.offset < (starts.get(record.partition) ?? 0n)) continue;
        counts.read++;
        const last = lastOffsets.get(record.partition);
        if (last === undefined || record.offset > last) {
          lastOffsets.set(record.partition, record.offset);
        }
        const event = decode(record.value, record.headers[SCHEMA_HEADER]);
        if (event === undefined) {
          counts.undecodable++;
        } else if (options.suppression.fieldOf(event) !== undefined) {
          counts.suppressed++;
        } else {
          batch.push({ event, record });
        }
      }
      if (lastOffsets.size === 0) return;
      await writeWithRetry(options.store, { records: batch, lastOffsets });
      counts.written += batch.length;
    }, { starts, commit: false });
  } finally {
    await consumer.close();
  }
  options.logger.info("store rebuilt from the topic", {
    store: options.store.name,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    ...counts,
  });
  return counts;
}

/** An event of our schema, or undefined. */
function decode(value: Uint8Array, schema: string | undefined): Event | undefined {
  if (schema !== undefined && schema !== EVENT_SCHEMA) return undefined;
  try {
    const event = fromBinary(EventSchema, value);
    return event.timestamp && event.eventId !== "" ? event : undefined;
  } catch {
    return undefined;
  }
}

/** Writes, retrying errors the store calls transient a few times (as the sink loop does). */
async function writeWithRetry(
  store: SinkStore,
  batch: Parameters<SinkStore["write"]>[0],
): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      return await store.write(batch);
    } catch (error) {
      if (attempt >= 5 || !store.isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
