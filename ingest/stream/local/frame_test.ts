import { deepStrictEqual as assertEquals } from "node:assert/strict";
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
