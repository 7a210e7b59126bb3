import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import type { Logger } from "../../../ingest/observability/logger.ts";
import type { OutgoingRecord } from "../../../ingest/stream/record.ts";
import { deadLetterTopicOf } from "../../../ingest/stream/topics.ts";
import type { SuppressionList } from "../../../ingest/suppression/mod.ts";
import type { ReplayCounts } from "../replay_counts.ts";
import type { LogAccess } from "./log_access.ts";
import { readUntilEnd } from "./read_until_end.ts";

/** What a dead-letter replay reads from and writes to. */
export interface ReplayDeadLettersOptions {
  log: LogAccess;
  /** The event topic; dead letters are read from `<topic>.dlq`. */
  topic: string;
  partitions: number;
  /** Consumer group of the replay: its offsets say which dead letters were replayed already. */
  group: string;
  suppression: Pick<SuppressionList, "fieldOf" | "refresh">;
  /** At most this many dead letters; 0: every one there was when the replay started. */
  maxRecords: number;
  logger: Logger;
}

/**
 * Re-sinks dead letters after a fix: reads `<topic>.dlq` as its own consumer group from where the
 * last replay stopped up to the end offsets seen at start, drops the `dlq.*` headers, skips events
 * of suppressed ids, and republishes the rest to the event topic with their original key and
 * headers; the group's offsets are committed only after the log acknowledged every republished
 * record. The sinks treat them as new records: still-broken ones are dead-lettered again, and
 * event-id dedup makes an event that was stored meanwhile harmless.
 */
export async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<ReplayCounts> {
  const { log, topic } = options;
  await options.suppression.refresh();
  const dlq = deadLetterTopicOf(topic);
  const counts: ReplayCounts = { read: 0, republished: 0, suppressed: 0 };
  const ends = await log.endOffsets(dlq, options.partitions);
  if ([...ends.values()].every((end) => end === 0n)) return counts;
  const consumer = await log.consumer(dlq, options.group);
  try {
    const publisher = await log.publisher();
    await readUntilEnd(consumer, ends, options.maxRecords, async (records) => {
      counts.read += records.length;
      const out: OutgoingRecord[] = [];
      for (const record of records) {
        if (isSuppressed(record.value, options.suppression)) {
          counts.suppressed++;
          continue;
        }
        const headers = Object.fromEntries(
          Object.entries(record.headers).filter(([name]) => !name.startsWith("dlq.")),
        );
        out.push({ key: record.key, value: record.value, headers });
      }
      if (out.length > 0) {
        const outcomes = await publisher.publish(topic, out);
        const failed = outcomes.find((o) => !o.ok);
        if (failed && !failed.ok) {
          throw new Error(`replay: republishing to ${topic} failed: ${failed.error.message}`);
        }
        counts.republished += out.length;
      }
    });
  } finally {
    await consumer.close();
  }
  options.logger.info("dead letters replayed", { topic: dlq, ...counts });
  return counts;
}

/** True when the bytes decode to an event that carries a suppressed id. */
function isSuppressed(
  value: Uint8Array,
  suppression: Pick<SuppressionList, "fieldOf">,
): boolean {
  try {
    return suppression.fieldOf(fromBinary(EventSchema, value)) !== undefined;
  } catch {
    return false; // Undecodable: no id to suppress; the sinks dead-letter it again if still so.
  }
}
