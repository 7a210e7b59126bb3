import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import type { ConsumedRecord, OutgoingRecord } from "../record.ts";
import { EVENTS_TOPIC } from "../topics.ts";
import { encodeFrame } from "./frame.ts";
import { listSegments, partitionDir } from "./layout.ts";
import { type LocalConsumer, openLocalLog } from "./mod.ts";

const silent = () => {};
const recordOf = (key: string, text: string): OutgoingRecord => ({
  key,
  value: new TextEncoder().encode(text),
  headers: { n: text },
});
const textOf = (record: ConsumedRecord) => new TextDecoder().decode(record.value);

async function drain(consumer: LocalConsumer): Promise<ConsumedRecord[]> {
  const all: ConsumedRecord[] = [];
  while (true) {
    const records = await consumer.poll({ maxRecords: 7, maxWaitMs: 0 });
    if (records.length === 0) return all;
    all.push(...records);
  }
}

Deno.test("records come back per partition in publish order with their key and headers", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, log: silent });
  const publisher = await log.publisher();
  const keys = ["alice", "bob", "carol", "dave", "erin"];
  for (let i = 0; i < 100; i++) {
    await publisher.publish(EVENTS_TOPIC, [recordOf(keys[i % keys.length], `${i}`)]);
  }
  const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "g" });
  assertEquals(consumer.assignment(), [0, 1, 2, 3, 4, 5]);
  const records = await drain(consumer);
  assertEquals(records.length, 100);
  for (const key of keys) {
    const mine = records.filter((r) => r.key === key);
    assertEquals(new Set(mine.map((r) => r.partition)).size, 1);
    assertEquals(mine.map(textOf), mine.map(textOf).toSorted((a, b) => Number(a) - Number(b)));
    assert(mine.every((r) => r.headers.n === textOf(r)));
  }
  for (const partition of consumer.assignment()) {
    const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
    assertEquals(offsets, offsets.map((_, i) => BigInt(i)));
  }
  await log.close();
});

Deno.test("a group resumes from its committed offsets after a reopen; other groups start at 0", async () => {
  const dir = await Deno.makeTempDir();
  let log = await openLocalLog({ dir, partitions: 2, log: silent });
  const publisher = await log.publisher();
  for (let i = 0; i < 20; i++) await publisher.publish("t", [recordOf(`k${i}`, `${i}`)]);
  let consumer = await log.consumer({ topic: "t", group: "sink" });
  const firstBatch = await consumer.poll({ maxRecords: 8, maxWaitMs: 0 });
  const next = new Map<number, bigint>();
  for (const r of firstBatch) next.set(r.partition, r.offset + 1n);
  await consumer.commit(next);
  // Read further without committing: a restart must give these again.
  await consumer.poll({ maxRecords: 5, maxWaitMs: 0 });
  await log.close();

  log = await openLocalLog({ dir, partitions: 2, log: silent });
  consumer = await log.consumer({ topic: "t", group: "sink" });
  const rest = await drain(consumer);
  assertEquals(rest.length + firstBatch.length, 20);
  const texts = [...firstBatch, ...rest].map(textOf).toSorted((a, b) => Number(a) - Number(b));
  assertEquals(texts, Array.from({ length: 20 }, (_, i) => `${i}`));
  const other = await log.consumer({ topic: "t", group: "other" });
  assertEquals((await drain(other)).length, 20);
  await log.close();
});

Deno.test("seek moves the next poll of a partition", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, partitions: 1, segmentBytes: 1024, log: silent });
  const publisher = await log.publisher();
  for (let i = 0; i < 40; i++) {
    await publisher.publish("t", [recordOf("k", `${i}`.padStart(60, "."))]);
  }
  const consumer = await log.consumer({ topic: "t", group: "g" });
  consumer.seek(0, 33n);
  assertEquals((await drain(consumer)).map((r) => r.offset), [33n, 34n, 35n, 36n, 37n, 38n, 39n]);
  consumer.seek(0, 2n);
  assertEquals((await consumer.poll({ maxRecords: 2, maxWaitMs: 0 })).map((r) => r.offset), [
    2n,
    3n,
  ]);
  await log.close();
});

Deno.test("a waiting poll returns what an in-process publisher appends meanwhile", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, partitions: 1, pollIntervalMs: 60_000, log: silent });
  const publisher = await log.publisher();
  const consumer = await log.consumer({ topic: "t", group: "g" });
  const polled = consumer.poll({ maxRecords: 10, maxWaitMs: 30_000 });
  await publisher.publish("t", [recordOf("k", "hello")]);
  assertEquals((await polled).map(textOf), ["hello"]);
  await log.close();
});

Deno.test("a reader of another LocalLog sees appends by file polling and skips a torn tail", async () => {
  const dir = await Deno.makeTempDir();
  const writerLog = await openLocalLog({ dir, partitions: 1, log: silent });
  const publisher = await writerLog.publisher();
  await publisher.publish("t", [recordOf("k", "one")]);
  const readerLog = await openLocalLog({ dir, partitions: 1, pollIntervalMs: 5, log: silent });
  const consumer = await readerLog.consumer({ topic: "t", group: "g" });
  assertEquals((await consumer.poll({ maxRecords: 10, maxWaitMs: 0 })).map(textOf), ["one"]);
  const polled = consumer.poll({ maxRecords: 10, maxWaitMs: 30_000 });
  await publisher.publish("t", [recordOf("k", "two")]);
  assertEquals((await polled).map(textOf), ["two"]);
  await writerLog.close();

  const segment = (await listSegments(partitionDir(dir, "t", 0)))[0].path;
  const torn = encodeFrame({
    offset: 2n,
    timestamp: 0,
    key: "k",
    headers: {},
    value: new Uint8Array(50),
  });
  await Deno.writeFile(segment, torn.subarray(0, torn.length - 1), { append: true });
  assertEquals(await consumer.poll({ maxRecords: 10, maxWaitMs: 20 }), []);
  // The next writer cuts the torn frame; the reader then gets the real record at offset 2.
  const nextWriter = await openLocalLog({ dir, partitions: 1, log: silent });
  await (await nextWriter.publisher()).publish("t", [recordOf("k", "three")]);
  const after = await consumer.poll({ maxRecords: 10, maxWaitMs: 30_000 });
  assertEquals(after.map((r) => [r.offset, textOf(r)]), [[2n, "three"]]);
  await nextWriter.close();
  await readerLog.close();
});

Deno.test("retention deletes old segments, never the active one; readers skip to the oldest kept", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({
    dir,
    partitions: 1,
    segmentBytes: 2048,
    retention: { maxBytes: 4096 },
    log: silent,
  });
  const publisher = await log.publisher();
  for (let i = 0; i < 100; i++) {
    await publisher.publish("t", [recordOf("k", `${i}`.padStart(100, "."))]);
  }
  await publisher.enforceRetention();
  const segments = await listSegments(partitionDir(dir, "t", 0));
  const sizes = await Promise.all(segments.map(async (s) => (await Deno.stat(s.path)).size));
  assert(segments[0].baseOffset > 0n, "nothing was deleted");
  assert(sizes.slice(1).reduce((a, b) => a + b, 0) <= 4096, `kept ${sizes}`);
  const consumer = await log.consumer({ topic: "t", group: "late" });
  const records = await drain(consumer);
  assertEquals(records[0].offset, segments[0].baseOffset);
  assertEquals(records.at(-1)!.offset, 99n);

  const deleted = await publisher.enforceRetention(Date.now() + 1_000);
  assertEquals(deleted, 0); // maxAge is 7 days by default
  await log.close();
  const aged = await openLocalLog({ dir, partitions: 1, retention: { maxAgeMs: 0 }, log: silent });
  const agedPublisher = await aged.publisher();
  await agedPublisher.publish("t", [recordOf("k", "x")]);
  await agedPublisher.enforceRetention(Date.now() + 10);
  assertEquals((await listSegments(partitionDir(dir, "t", 0))).length, 1);
  await aged.close();
});
