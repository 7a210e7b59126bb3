import assert from "node:assert/strict";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { DEAD_LETTER_TOPIC, EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { sampleEvents, toRecord } from "../testing/sample_events.ts";
import { type BatchReport, runSinkLoop } from "./run_sink_loop.ts";
import type { SinkBatch, SinkStore } from "./sink_store.ts";
import { DLQ_HEADERS } from "./dead_letter.ts";

class TransientError extends Error {}

/** A store keeping event ids in memory, failing its first `failures` writes transiently. */
class FlakyStore implements SinkStore {
  readonly name = "flaky";
  ids: string[] = [];
  writes = 0;
  resumePositions?: (partitions: number[]) => Promise<Map<number, bigint>>;
  constructor(private failures = 0, private readonly fatal = false) {}
  write(batch: SinkBatch): Promise<void> {
    this.writes++;
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(this.fatal ? new Error("disk on fire") : new TransientError("blip"));
    }
    this.ids.push(...batch.records.map((r) => r.event.eventId));
    return Promise.resolve();
  }
  isTransient(error: unknown): boolean {
    return error instanceof TransientError;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const fast = { initialDelayMs: 1, maxDelayMs: 5, multiplier: 2 };

/** Runs the loop until `done()` says so, then stops it and returns its summary. */
async function runUntil(
  options: Omit<Parameters<typeof runSinkLoop>[0], "signal" | "onBatch">,
  done: () => boolean,
) {
  const controller = new AbortController();
  const reports: BatchReport[] = [];
  const summary = await runSinkLoop({
    ...options,
    signal: controller.signal,
    onBatch: (r) => {
      reports.push(r);
      if (done()) controller.abort();
    },
  });
  return { summary, reports };
}

async function readAll(
  log: Awaited<ReturnType<typeof openLocalLog>>,
  topic: string,
  group: string,
  count: number,
): Promise<ConsumedRecord[]> {
  const consumer = await log.consumer({ topic, group });
  const out: ConsumedRecord[] = [];
  while (out.length < count) {
    const got = await consumer.poll({ maxRecords: 1000, maxWaitMs: 2000 });
    if (got.length === 0) break;
    out.push(...got);
  }
  await consumer.close();
  return out;
}

Deno.test("runSinkLoop writes every event once in batches, retrying a flaky store", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never" });
  try {
    const publisher = await log.publisher();
    const events = sampleEvents(250);
    await publisher.publish(EVENTS_TOPIC, events.map(toRecord));
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    const store = new FlakyStore(3);
    const { summary, reports } = await runUntil({
      consumer,
      store,
      deadLetter: publisher,
      batch: { maxRecords: 100, maxBytes: 1 << 20, maxWaitMs: 50 },
      retry: fast,
    }, () => store.ids.length >= events.length);
    await consumer.close();

    assert.deepEqual(store.ids.toSorted(), events.map((e) => e.eventId).toSorted());
    assert.equal(summary.written, 250);
    assert.equal(summary.deadLettered, 0);
    assert.equal(reports[0].writeAttempts, 4);
    assert.ok(reports.every((r) => r.records <= 100));

    // The committed offsets cover everything: a new member of the group reads nothing.
    const again = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    assert.deepEqual(await again.poll({ maxRecords: 10, maxWaitMs: 50 }), []);
    await again.close();
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSinkLoop dead-letters an undecodable record with its reason and source", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never", partitions: 1 });
  try {
    const publisher = await log.publisher();
    const [first, second] = sampleEvents(2);
    const garbage = { key: "k", value: new Uint8Array([0xff, 0xff, 0xff]), headers: {} };
    await publisher.publish(EVENTS_TOPIC, [toRecord(first), garbage, toRecord(second)]);
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    const store = new FlakyStore();
    const { summary } = await runUntil({
      consumer,
      store,
      deadLetter: publisher,
      batch: { maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 20 },
      retry: fast,
    }, () => store.ids.length >= 2);
    await consumer.close();

    assert.deepEqual(store.ids, [first.eventId, second.eventId]);
    assert.equal(summary.deadLettered, 1);
    const [dead] = await readAll(log, DEAD_LETTER_TOPIC, "dlq-reader", 1);
    assert.deepEqual(dead.value, garbage.value);
    assert.match(dead.headers[DLQ_HEADERS.reason], /^undecodable: /);
    assert.equal(dead.headers[DLQ_HEADERS.sourceTopic], EVENTS_TOPIC);
    assert.equal(dead.headers[DLQ_HEADERS.sourcePartition], "0");
    assert.equal(dead.headers[DLQ_HEADERS.sourceOffset], "1");
    assert.equal(dead.headers[DLQ_HEADERS.sink], "flaky");
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSinkLoop dead-letters an event that breaks the schema's rules", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never", partitions: 1 });
  try {
    const publisher = await log.publisher();
    const [event] = sampleEvents(1);
    event.eventId = "not-a-uuid";
    await publisher.publish(EVENTS_TOPIC, [toRecord(event)]);
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    const store = new FlakyStore();
    let batches = 0;
    await runUntil(
      { consumer, store, deadLetter: publisher, batch: { maxWaitMs: 20 }, retry: fast },
      () => ++batches >= 1,
    );
    await consumer.close();
    assert.deepEqual(store.ids, []);
    const [dead] = await readAll(log, DEAD_LETTER_TOPIC, "dlq-reader", 1);
    assert.match(dead.headers[DLQ_HEADERS.reason], /^schema violation: .*event_id/);
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSinkLoop stops on a non-transient error without committing the batch", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never" });
  try {
    const publisher = await log.publisher();
    const events = sampleEvents(20);
    await publisher.publish(EVENTS_TOPIC, events.map(toRecord));
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    await assert.rejects(
      runSinkLoop({
        consumer,
        store: new FlakyStore(1, true),
        deadLetter: publisher,
        batch: { maxWaitMs: 20 },
        retry: fast,
      }),
      /disk on fire/,
    );
    await consumer.close();
    // Nothing was committed: a restarted sink reads the whole batch again.
    const again = await readAll(log, EVENTS_TOPIC, "sink-test", 20);
    assert.equal(again.length, 20);
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSinkLoop abandons a batch uncommitted when stopped while retrying", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never" });
  try {
    const publisher = await log.publisher();
    await publisher.publish(EVENTS_TOPIC, sampleEvents(10).map(toRecord));
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    const store = new FlakyStore(Number.MAX_SAFE_INTEGER);
    const controller = new AbortController();
    const running = runSinkLoop({
      consumer,
      store,
      deadLetter: publisher,
      batch: { maxWaitMs: 10 },
      retry: { initialDelayMs: 5, maxDelayMs: 20, multiplier: 2 },
      signal: controller.signal,
    });
    while (store.writes < 3) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const summary = await running;
    await consumer.close();
    assert.equal(summary.abandoned, true);
    assert.equal(summary.batches, 0);
    assert.equal((await readAll(log, EVENTS_TOPIC, "sink-test", 10)).length, 10);
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSinkLoop seeks newly assigned partitions to the store's resume positions", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, fsync: "never", partitions: 1 });
  try {
    const publisher = await log.publisher();
    const events = sampleEvents(10);
    await publisher.publish(EVENTS_TOPIC, events.map(toRecord));
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "sink-test" });
    const store = new FlakyStore();
    store.resumePositions = (partitions: number[]) =>
      Promise.resolve(new Map(partitions.map((p) => [p, 6n])));
    await runUntil(
      { consumer, store, deadLetter: publisher, batch: { maxWaitMs: 20 }, retry: fast },
      () => store.ids.length >= 4,
    );
    await consumer.close();
    assert.deepEqual(store.ids, events.slice(6).map((e) => e.eventId));
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});
