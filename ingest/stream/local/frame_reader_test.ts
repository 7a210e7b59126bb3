import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { encodeFrame } from "./frame.ts";
import { FrameReader } from "./frame_reader.ts";

const frameOf = (offset: number, bytes: number) =>
  encodeFrame({
    offset: BigInt(offset),
    timestamp: 1,
    key: "k",
    headers: {},
    value: new Uint8Array(bytes),
  });

Deno.test("frames larger than the read chunk and small ones read back in order", async () => {
  const path = await Deno.makeTempFile();
  const sizes = [10, 3 << 20, 5, (1 << 20) - 30, 2 << 20, 7];
  await Deno.writeFile(path, new Uint8Array(sizes.flatMap((size, i) => [...frameOf(i, size)])));
  const file = await Deno.open(path, { read: true });
  const reader = new FrameReader(file, 0, 64 << 20);
  const read: number[] = [];
  for (let result = await reader.next(); result.kind === "record"; result = await reader.next()) {
    read.push(result.record.value.length);
  }
  assertEquals(read, sizes);
  assertEquals(reader.position, (await file.stat()).size);
  file.close();
});

Deno.test("a frame written in pieces is incomplete until its last byte, then a record", async () => {
  const path = await Deno.makeTempFile();
  const frame = frameOf(0, 2 << 20);
  const file = await Deno.open(path, { read: true });
  const reader = new FrameReader(file, 0, 64 << 20);
  for (const cut of [3, 100, 1 << 20, frame.length - 1]) {
    await Deno.writeFile(path, frame.subarray(0, cut));
    assertEquals((await reader.next()).kind, "incomplete");
    assertEquals(reader.position, 0);
  }
  await Deno.writeFile(path, frame);
  assertEquals((await reader.next()).kind, "record");
  file.close();
});

Deno.test("records read earlier keep their values while the reader reads on", async () => {
  const path = await Deno.makeTempFile();
  const file = await Deno.open(path, { read: true });
  const reader = new FrameReader(file, 0, 64 << 20);
  // Appends in pieces (a frame cut in two, then its rest), with reads at the end in between, and
  // sizes that fill buffers: every read must go where no returned value lives.
  const sizes = Array.from({ length: 300 }, (_, i) => i % 50 === 7 ? 300_000 : (i * 977) % 9000);
  const values = sizes.map((size, i) => new Uint8Array(size).map((_, at) => (i + at) % 251));
  const frames = values.map((value, i) =>
    encodeFrame({ offset: BigInt(i), timestamp: 1, key: "k", headers: {}, value })
  );
  const bytes = new Uint8Array(frames.flatMap((frame) => [...frame]));
  const read: Uint8Array[] = [];
  for (let written = 0; written < bytes.length;) {
    written = Math.min(bytes.length, written + 3_000 + (written % 40_000));
    await Deno.writeFile(path, bytes.subarray(0, written));
    for (let r = await reader.next(); r.kind === "record"; r = await reader.next()) {
      read.push(r.record.value);
    }
  }
  assertEquals(read.length, frames.length);
  read.forEach((value, i) => assertEquals(value, values[i], `record ${i}`));
  file.close();
});
