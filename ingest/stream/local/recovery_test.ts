import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import type { OutgoingRecord } from "../record.ts";
import { encodeFrame } from "./frame.ts";
import { listSegments, partitionDir } from "./layout.ts";
import { openLocalLog } from "./mod.ts";

const texts = (n: number) => Array.from({ length: n }, (_, i) => `record-${i}`);
const recordOf = (text: string): OutgoingRecord => ({
  key: "one-key",
  value: new TextEncoder().encode(text),
  headers: {},
});

/** Writes `count` records to a one-partition topic and returns the segment path. */
async function logWith(dir: string, count: number): Promise<string> {
  const log = await openLocalLog({ dir, partitions: 1, log: () => {} });
  const publisher = await log.publisher();
  for (const text of texts(count)) await publisher.publish("t", [recordOf(text)]);
  await log.close();
  return (await listSegments(partitionDir(dir, "t", 0)))[0].path;
}

/** Reopens, appends one record, and returns the cut reports, its offset and every value. */
async function reopenAndAppend(dir: string) {
  const reports: Record<string, unknown>[] = [];
  const log = await openLocalLog({ dir, partitions: 1, log: (_, fields) => reports.push(fields) });
  const [outcome] = await (await log.publisher()).publish("t", [recordOf("after")]);
  const consumer = await log.consumer({ topic: "t", group: "check" });
  const records = await consumer.poll({ maxRecords: 100, maxWaitMs: 0 });
  await log.close();
  return {
    reports,
    offset: outcome.ok ? outcome.position.offset : undefined,
    values: records.map((r) => new TextDecoder().decode(r.value)),
    offsets: records.map((r) => r.offset),
  };
}

Deno.test("a short last frame is cut on open and appends continue at the next offset", async () => {
  const dir = await Deno.makeTempDir();
  const segment = await logWith(dir, 5);
  const torn = encodeFrame({
    offset: 5n,
    timestamp: 0,
    key: "k",
    headers: {},
    value: new Uint8Array(300),
  });
  await Deno.writeFile(segment, torn.subarray(0, 120), { append: true });
  const { reports, offset, values, offsets } = await reopenAndAppend(dir);
  assertEquals(reports.length, 1);
  assertEquals(reports[0].truncatedBytes, 120);
  assertEquals(offset, 5n);
  assertEquals(values, [...texts(5), "after"]);
  assertEquals(offsets, [0n, 1n, 2n, 3n, 4n, 5n]);
});

Deno.test("a last frame with a CRC mismatch is cut; the records before it stay", async () => {
  const dir = await Deno.makeTempDir();
  const segment = await logWith(dir, 4);
  const bytes = await Deno.readFile(segment);
  bytes[bytes.length - 3] ^= 0xff;
  await Deno.writeFile(segment, bytes);
  const { reports, offset, values } = await reopenAndAppend(dir);
  assertEquals(reports[0].reason, "CRC mismatch");
  assertEquals(offset, 3n);
  assertEquals(values, [...texts(3), "after"]);
});

Deno.test("zeros after the last good frame (a file extended but not written) are cut", async () => {
  const dir = await Deno.makeTempDir();
  const segment = await logWith(dir, 3);
  await Deno.writeFile(segment, new Uint8Array(4096), { append: true });
  const { reports, offset, values } = await reopenAndAppend(dir);
  assertEquals(reports[0].truncatedBytes, 4096);
  assertEquals(offset, 3n);
  assertEquals(values, [...texts(3), "after"]);
});

Deno.test("a whole frame with an out-of-sequence offset is cut", async () => {
  const dir = await Deno.makeTempDir();
  const segment = await logWith(dir, 2);
  const stray = encodeFrame({
    offset: 9n,
    timestamp: 0,
    key: "k",
    headers: {},
    value: new Uint8Array(8),
  });
  await Deno.writeFile(segment, stray, { append: true });
  const { reports, offset } = await reopenAndAppend(dir);
  assert(String(reports[0].reason).includes("offset 9"));
  assertEquals(offset, 2n);
});

Deno.test("a clean log is opened without cutting anything", async () => {
  const dir = await Deno.makeTempDir();
  await logWith(dir, 3);
  const { reports, offset } = await reopenAndAppend(dir);
  assertEquals(reports, []);
  assertEquals(offset, 3n);
});
