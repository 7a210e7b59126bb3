import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { crc32 } from "node:zlib";
import {
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  type FrameRecord,
  frameSize,
} from "./frame.ts";

const record: FrameRecord = {
  offset: 42n,
  timestamp: 1_700_000_000_123,
  key: "user-7 ☃",
  headers: { traceparent: "00-abc-def-01", schema: "analytics.v1.Event" },
  value: new Uint8Array([1, 2, 3, 250]),
};

Deno.test("a frame decodes to the record it encoded, with the size frameSize predicts", () => {
  const frame = encodeFrame(record);
  assertEquals(frame.length, frameSize(record));
  assertEquals(decodeFrame(frame, 0, 1 << 20), { kind: "record", record, size: frame.length });
});

Deno.test("frames decode one after another from a position", () => {
  const second = { ...record, offset: 43n, key: "", headers: {}, value: new Uint8Array() };
  const bytes = new Uint8Array([...encodeFrame(record), ...encodeFrame(second)]);
  const first = decodeFrame(bytes, 0, 1 << 20);
  assertEquals(first.kind, "record");
  const next = decodeFrame(bytes, first.kind === "record" ? first.size : -1, 1 << 20);
  assertEquals(next.kind === "record" && next.record, second);
});

Deno.test("a short frame is incomplete, at any cut", () => {
  const frame = encodeFrame(record);
  for (let cut = 0; cut < frame.length; cut++) {
    const result = decodeFrame(frame.subarray(0, cut), 0, 1 << 20);
    assertEquals(result.kind, "incomplete", `cut at ${cut}`);
  }
});

Deno.test("a changed byte anywhere in the body is a CRC mismatch", () => {
  const frame = encodeFrame(record);
  for (let at = FRAME_HEADER_BYTES; at < frame.length; at++) {
    const damaged = frame.slice();
    damaged[at] ^= 0x40;
    assertEquals(decodeFrame(damaged, 0, 1 << 20), { kind: "corrupt", reason: "CRC mismatch" });
  }
});

Deno.test("a length field out of range is corrupt, not a wait for more bytes", () => {
  const zeros = new Uint8Array(64);
  assertEquals(decodeFrame(zeros, 0, 1 << 20).kind, "corrupt");
  const huge = encodeFrame(record);
  new DataView(huge.buffer).setUint32(0, 0x7fffffff);
  assertEquals(decodeFrame(huge, 0, 1 << 20).kind, "corrupt");
});

Deno.test("header strings of one record never leak into the next one's", () => {
  const headers = (i: number) =>
    Object.fromEntries(
      Array.from({ length: 20 }, (_, h) => [`h${h % 10}${h}`, `v${(i * 7 + h) % 10}é`]),
    );
  const records = Array.from({ length: 30 }, (_, i) => ({
    ...record,
    offset: BigInt(i),
    headers: i % 3 === 0 ? {} : headers(i),
  }));
  const bytes = new Uint8Array(records.flatMap((r) => [...encodeFrame(r)]));
  let at = 0;
  for (const expected of records) {
    const result = decodeFrame(bytes, at, 1 << 20);
    assertEquals(result.kind === "record" && result.record, expected);
    at += result.kind === "record" ? result.size : 0;
  }
});

Deno.test("the decoded value is a view of exactly its bytes of the frame", () => {
  const frame = encodeFrame(record);
  const result = decodeFrame(frame, 0, 1 << 20);
  assertEquals(result.kind === "record" && result.record.value.buffer, frame.buffer);
  assertEquals(result.kind === "record" && result.record.value, record.value);
});

Deno.test("a key or header that is not UTF-8 is corrupt, even with a matching CRC", () => {
  const shortKey = encodeFrame({ ...record, key: "ab", headers: { n: "cd" } });
  const keyAt = FRAME_HEADER_BYTES + 21;
  for (const at of [keyAt, keyAt + 2 + 2 + 2 + 1 + 4]) {
    const bad = shortKey.slice();
    bad[at] = 0xff;
    new DataView(bad.buffer).setUint32(4, crc32(bad.subarray(FRAME_HEADER_BYTES)));
    const result = decodeFrame(bad, 0, 1 << 20);
    assertEquals(result.kind, "corrupt", `byte ${at}`);
  }
});

Deno.test("a length field running past the body is corrupt, not read from the next frame", () => {
  const frame = encodeFrame({ ...record, headers: {} });
  const next = encodeFrame({ ...record, offset: 43n });
  const bytes = new Uint8Array([...frame, ...next]);
  new DataView(bytes.buffer).setUint32(FRAME_HEADER_BYTES + 17, 1000); // the key length
  new DataView(bytes.buffer).setUint32(4, crc32(bytes.subarray(FRAME_HEADER_BYTES, frame.length)));
  assertEquals(decodeFrame(bytes, 0, 1 << 20), {
    kind: "corrupt",
    reason: "field runs past the end of the frame",
  });
});
