/**
 * The embedded log across real kills: a child process appends and is SIGKILLed at a random
 * moment, several times over one folder, while a reader in this process follows the files.
 * After each kill, every record the child reported as acknowledged is in the log exactly once
 * at the position it was given, and appends continue at the next offset.
 */
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { ConsumedRecord } from "../record.ts";
import { EVENTS_TOPIC } from "../topics.ts";
import { listSegments, partitionDir } from "./layout.ts";
import { openLocalLog } from "./mod.ts";

const child = fileURLToPath(new URL("./testdata/crash_writer.ts", import.meta.url));
const decoder = new TextDecoder();

/** A child run: its name, the size of each record's value, and its fsync policy. */
type Run = [string, number, "always" | "never"];

interface Ack {
  id: string;
  partition: number;
  offset: bigint;
}

/**
 * Runs the child writer and SIGKILLs it: for small records a random time after its first ack;
 * for large ones, after that, at the first moment a segment is seen growing (mid-write).
 */
async function runAndKill(dir: string, [run, valueBytes, fsync]: Run): Promise<Ack[]> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", child, dir, run, String(valueBytes), "8", fsync],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  let killing: Promise<void> | undefined;
  const delay = 30 + Math.random() * 300;
  for await (const chunk of process.stdout) {
    text += decoder.decode(chunk, { stream: true });
    killing ??= killLater(dir, process, delay, valueBytes >= 1 << 20);
  }
  await killing;
  const status = await process.status;
  const stderr = decoder.decode(await new Response(process.stderr).arrayBuffer());
  assertEquals(status.signal, "SIGKILL", `the child ended on its own: ${stderr}`);
  // A line cut by the kill was not fully reported, so it does not count as an ack.
  const lines = text.split("\n").slice(0, -1);
  return lines.map((line): Ack => {
    const [id, partition, offset] = line.split(" ");
    return { id, partition: Number(partition), offset: BigInt(offset) };
  });
}

async function killLater(
  dir: string,
  process: Deno.ChildProcess,
  delayMs: number,
  midWrite: boolean,
) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  let sizes = midWrite ? await segmentSizes(dir) : "";
  for (let i = 0; midWrite && i < 500; i++) {
    const now = await segmentSizes(dir);
    if (now !== sizes) break;
    sizes = now;
  }
  process.kill("SIGKILL");
}

/** The sizes of every segment of the events topic, as one comparable string. */
async function segmentSizes(dir: string): Promise<string> {
  const sizes: number[] = [];
  for (let partition = 0; partition < 6; partition++) {
    for (const segment of await listSegments(partitionDir(dir, EVENTS_TOPIC, partition))) {
      sizes.push((await Deno.stat(segment.path).catch(() => ({ size: -1 }))).size);
    }
  }
  return sizes.join(",");
}

async function readAll(dir: string, follow?: ConsumedRecord[]): Promise<ConsumedRecord[]> {
  const log = await openLocalLog({ dir, log: () => {} });
  const consumer = await log.consumer({
    topic: EVENTS_TOPIC,
    group: `check-${crypto.randomUUID()}`,
  });
  const all: ConsumedRecord[] = [];
  while (true) {
    const records = await consumer.poll({ maxRecords: 500, maxWaitMs: 0 });
    if (records.length === 0) break;
    all.push(...records);
  }
  await log.close();
  follow?.push(...all);
  return all;
}

/** Checks offsets are dense from 0 in every partition and no id appears twice. */
function assertDenseAndUnique(records: ConsumedRecord[]): void {
  const next = new Map<number, bigint>();
  const ids = new Set<string>();
  for (const record of records) {
    assertEquals(record.offset, next.get(record.partition) ?? 0n, `partition ${record.partition}`);
    next.set(record.partition, record.offset + 1n);
    assert(!ids.has(record.headers.id), `id ${record.headers.id} appears twice`);
    ids.add(record.headers.id);
  }
}

Deno.test("acknowledged records survive SIGKILLs mid-append exactly once, in order", async () => {
  const dir = await Deno.makeTempDir();
  // Large records make a kill in the middle of a write likely; without fsync the writes follow
  // each other closely, so most kills there tear a record.
  const runs: Run[] = [
    ["small-a", 300, "always"],
    ["small-b", 300, "always"],
    ["large-a", 1 << 20, "always"],
    ["large-b", 1 << 20, "always"],
    ["large-unsynced-a", 1 << 20, "never"],
    ["large-unsynced-b", 1 << 20, "never"],
  ];
  const cuts: unknown[] = [];
  const acked: Ack[] = [];
  for (const [run, valueBytes, fsync] of runs) {
    // A reader in this process follows the files while the child writes.
    const followerLog = await openLocalLog({ dir, pollIntervalMs: 2, log: () => {} });
    const follower = await followerLog.consumer({ topic: EVENTS_TOPIC, group: "follower" });
    const followed: ConsumedRecord[] = [];
    let following = true;
    const follow = (async () => {
      while (following) followed.push(...await follower.poll({ maxRecords: 1000, maxWaitMs: 10 }));
    })();

    acked.push(...await runAndKill(dir, [run, valueBytes, fsync]));
    following = false;
    await follow;
    await followerLog.close();

    // Reopen as the writer: the dead child's lock is taken over and a torn tail is cut.
    const log = await openLocalLog({ dir, log: (_, fields) => cuts.push(fields) });
    const publisher = await log.publisher();
    const before = await readAll(dir);
    assertDenseAndUnique(before);
    const byId = new Map(before.map((record) => [record.headers.id, record]));
    for (const ack of acked) {
      const found = byId.get(ack.id);
      assert(found, `acknowledged ${ack.id} is missing after ${run}`);
      assertEquals([found.partition, found.offset], [ack.partition, ack.offset]);
    }
    // What the follower read was whole and is still there (a killed process loses no page cache).
    for (const record of followed) {
      assertEquals(byId.get(record.headers.id)?.offset, record.offset);
    }
    const [outcome] = await publisher.publish(EVENTS_TOPIC, [
      { key: "after", value: new Uint8Array(1), headers: { id: `${run}-after` } },
    ]);
    assert(outcome.ok);
    const inPartition = before.filter((r) => r.partition === outcome.position.partition).length;
    assertEquals(outcome.position.offset, BigInt(inPartition));
    await log.close();
    acked.push({ id: `${run}-after`, ...outcome.position });
  }
  assertDenseAndUnique(await readAll(dir));
  console.log(`${acked.length} acknowledged records checked; torn tails cut: ${cuts.length}`);
  await Deno.remove(dir, { recursive: true });
});
