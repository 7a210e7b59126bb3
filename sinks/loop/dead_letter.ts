/** Records that can never be stored go to the dead-letter topic, with why and where from. */
import type { Publisher } from "../../ingest/stream/publisher.ts";
import type { ConsumedRecord, OutgoingRecord } from "../../ingest/stream/record.ts";

/** A record the loop gave up on, and the reason. */
export interface DeadRecord {
  record: ConsumedRecord;
  reason: string;
}

/** Headers added to a dead letter (the original headers are kept beside them). */
export const DLQ_HEADERS = {
  reason: "dlq.reason",
  sourceTopic: "dlq.source.topic",
  sourcePartition: "dlq.source.partition",
  sourceOffset: "dlq.source.offset",
  sink: "dlq.sink",
  time: "dlq.time",
} as const;

/** The dead letter of `dead`: the original key and bytes, the original headers and ours. */
export function toDeadLetter(dead: DeadRecord, sink: string, now: Date): OutgoingRecord {
  const { record } = dead;
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DLQ_HEADERS.reason]: dead.reason,
      [DLQ_HEADERS.sourceTopic]: record.topic,
      [DLQ_HEADERS.sourcePartition]: String(record.partition),
      [DLQ_HEADERS.sourceOffset]: record.offset.toString(),
      [DLQ_HEADERS.sink]: sink,
      [DLQ_HEADERS.time]: now.toISOString(),
    },
  };
}

/** Raised when the dead-letter topic did not take every record (worth retrying). */
export class DeadLetterError extends Error {
  /** Wraps the first failed outcome's error. */
  constructor(failed: number, cause: Error) {
    super(`dead-letter publish failed for ${failed} record(s): ${cause.message}`, { cause });
    this.name = "DeadLetterError";
  }
}

/** Publishes the dead letters; throws `DeadLetterError` unless every one was stored. */
export async function publishDeadLetters(
  publisher: Publisher,
  topic: string,
  dead: DeadRecord[],
  sink: string,
  now: Date = new Date(),
): Promise<void> {
  if (dead.length === 0) return;
  const outcomes = await publisher.publish(topic, dead.map((d) => toDeadLetter(d, sink, now)));
  const failures = outcomes.filter((o) => !o.ok);
  if (failures.length > 0) {
    const first = failures[0] as { ok: false; error: Error };
    throw new DeadLetterError(failures.length, first.error);
  }
}
