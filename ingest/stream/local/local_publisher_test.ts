import { deepStrictEqual as assertEquals, fail, ok as assert } from "node:assert/strict";
import { join } from "node:path";
import { EVENTS_TOPIC } from "../topics.ts";
import { partitionOf } from "../partitioner.ts";
import type { OutgoingRecord } from "../record.ts";
import { listSegments, partitionDir } from "./layout.ts";
import { openLocalLog } from "./mod.ts";

const silent = () => {};
const recordOf = (key: string, text: string): OutgoingRecord => ({
  key,
  value: new TextEncoder().encode(text),
  headers: { schema: "test" },
});

Deno.test("N concurrent publishes store exactly N records with dense offsets per partition", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, log: silent });
  const publisher = await log.publisher();
  const calls = Array.from(
    { length: 200 },
    (_, i) =>
      publisher.publish(EVENTS_TOPIC, [
        recordOf(`user-${i % 37}`, `a-${i}`),
        recordOf(`user-${i}`, `b-${i}`),
      ]),
  );
  const outcomes = (await Promise.all(calls)).flat();
  assertEquals(outcomes.length, 400);
  const byPartition = new Map<number, bigint[]>();
  outcomes.forEach((outcome, i) => {
    assert(outcome.ok);
    const call = Math.floor(i / 2);
    const key = i % 2 === 0 ? `user-${call % 37}` : `user-${call}`;
    assertEquals(outcome.position.partition, partitionOf(key, 6));
    byPartition.set(outcome.position.partition, [
      ...(byPartition.get(outcome.position.partition) ?? []),
      outcome.position.offset,
    ]);
  });
  for (const offsets of byPartition.values()) {
    const sorted = offsets.toSorted((a, b) => (a < b ? -1 : 1));
    assertEquals(sorted, sorted.map((_, i) => BigInt(i)));
  }
  await log.close();

  const reopened = await openLocalLog({ dir, log: silent });
  const consumer = await reopened.consumer({ topic: EVENTS_TOPIC, group: "count" });
  const seen: string[] = [];
  while (true) {
    const records = await consumer.poll({ maxRecords: 1000, maxWaitMs: 0 });
    if (records.length === 0) break;
    seen.push(...records.map((r) => new TextDecoder().decode(r.value)));
  }
  assertEquals(seen.length, 400);
  assertEquals(new Set(seen).size, 400);
  await reopened.close();
});

Deno.test("a second writer on the same folder fails naming the holder; after close it may open", async () => {
  const dir = await Deno.makeTempDir();
  const first = await openLocalLog({ dir, log: silent });
  await first.publisher();
  const second = await openLocalLog({ dir, log: silent });
  await second.publisher().then(
    () => fail("a second publisher opened"),
    (error: Error) => assert(error.message.includes(`pid ${Deno.pid}`), error.message),
  );
  await first.close();
  const publisher = await second.publisher();
  const [outcome] = await publisher.publish("any.topic", [recordOf("k", "v")]);
  assert(outcome.ok);
  await second.close();
});

Deno.test("an oversized record or a bad topic name fails alone, others in the call are stored", async () => {
  const dir = await Deno.makeTempDir();
  const log = await openLocalLog({ dir, maxRecordBytes: 1024, log: silent });
  const publisher = await log.publisher();
  const big = { key: "k", value: new Uint8Array(2000), headers: {} };
  const outcomes = await publisher.publish(EVENTS_TOPIC, [recordOf("k", "small"), big]);
  assert(outcomes[0].ok);
  assert(!outcomes[1].ok && outcomes[1].error.message.includes("maxRecordBytes 1024"));
  const [badTopic] = await publisher.publish("../escape", [recordOf("k", "v")]);
  assert(!badTopic.ok && badTopic.error.message.includes("invalid topic name"));
  await log.close();
});

Deno.test("segments roll at segmentBytes and offsets continue across them and a reopen", async () => {
  const dir = await Deno.makeTempDir();
  const options = { dir, partitions: 1, segmentBytes: 4096, log: silent };
  let log = await openLocalLog(options);
  let publisher = await log.publisher();
  for (let i = 0; i < 30; i++) await publisher.publish("t", [recordOf("k", "x".repeat(500))]);
  await log.close();
  const segments = await listSegments(partitionDir(dir, "t", 0));
  assert(segments.length >= 4, `only ${segments.length} segments`);
  assertEquals(segments[0].baseOffset, 0n);
  log = await openLocalLog(options);
  publisher = await log.publisher();
  const [outcome] = await publisher.publish("t", [recordOf("k", "after")]);
  assertEquals(outcome.ok && outcome.position.offset, 30n);
  await log.close();
});

Deno.test("a topic's partition count cannot change under it", async () => {
  const dir = await Deno.makeTempDir();
  let log = await openLocalLog({ dir, partitions: 3, log: silent });
  await (await log.publisher()).publish("t", [recordOf("k", "v")]);
  await log.close();
  log = await openLocalLog({ dir, partitions: 6, log: silent });
  const [outcome] = await (await log.publisher()).publish("t", [recordOf("k", "v")]);
  assert(!outcome.ok && outcome.error.message.includes("has 3 partitions on disk"));
  await log.close();
});

Deno.test("a full disk or a permission error surfaces as failed outcomes, never a throw", async () => {
  const dir = await Deno.makeTempDir();
  const mount = new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir],
  });
  const mounted = (await mount.output().catch(() => ({ success: false }))).success;
  try {
    const log = await openLocalLog({ dir, partitions: 1, log: silent });
    const publisher = await log.publisher();
    const [first] = await publisher.publish("t", [recordOf("k", "first")]);
    assert(first.ok);
    if (mounted) {
      // Root can mount a 64 KiB tmpfs: a real ENOSPC in the middle of a write.
      const [full] = await publisher.publish("t", [{
        key: "k",
        value: new Uint8Array(100_000),
        headers: {},
      }]);
      assert(
        !full.ok && /space|os error 28/i.test(full.error.message),
        String(!full.ok && full.error),
      );
      const [after] = await publisher.publish("t", [recordOf("k", "after")]);
      assertEquals(after.ok && after.position.offset, 1n);
    } else {
      // Without root a read-only folder stands in: permissions are checked when a topic opens.
      await Deno.chmod(join(dir, "topics"), 0o500);
      const [denied] = await publisher.publish("u", [recordOf("k", "v")]);
      assert(
        !denied.ok && /denied|os error 13/i.test(denied.error.message),
        String(!denied.ok && denied.error),
      );
      await Deno.chmod(join(dir, "topics"), 0o700);
    }
    await log.close();
    const reader = await openLocalLog({ dir, partitions: 1, log: silent });
    const consumer = await reader.consumer({ topic: "t", group: "g" });
    const records = await consumer.poll({ maxRecords: 10, maxWaitMs: 0 });
    const expected = mounted ? ["first", "after"] : ["first"];
    assertEquals(records.map((r) => new TextDecoder().decode(r.value)), expected);
    await reader.close();
  } finally {
    if (mounted) await new Deno.Command("umount", { args: [dir] }).output();
  }
});
