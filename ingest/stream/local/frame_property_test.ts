// Property tests of the embedded log's framing (fast-check): whatever the records, frames decode
// back to them; a log cut anywhere reads as its whole frames then a torn tail; one flipped bit
// anywhere is caught (by the CRC, or as a torn tail when it lands in the last length field).
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeFrame, type DecodeResult, encodeFrame, FRAME_HEADER_BYTES } from "./frame.ts";
import type { FrameRecord } from "./frame.ts";

const MAX_BODY = 1 << 20;
const text = fc.string({ unit: "grapheme", maxLength: 40 });

const recordArb: fc.Arbitrary<FrameRecord> = fc.record({
  offset: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  timestamp: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  key: text,
  headers: fc.dictionary(text, text, { maxKeys: 5, noNullPrototype: true }),
  value: fc.uint8Array({ maxLength: 300 }),
}).map((r) => ({ ...r, headers: { ...r.headers } })); // plain objects, as decoding makes
const recordsArb = fc.array(recordArb, { minLength: 1, maxLength: 6 });

/** Decodes frames one after another until something else than a record comes. */
function decodeAll(bytes: Uint8Array): { records: FrameRecord[]; last: DecodeResult; at: number } {
  const records: FrameRecord[] = [];
  let at = 0;
  for (;;) {
    const result = decodeFrame(bytes, at, MAX_BODY);
    if (result.kind !== "record") return { records, last: result, at };
    records.push(result.record);
    at += result.size;
  }
}

function encodeAll(records: FrameRecord[]): { bytes: Uint8Array; ends: number[] } {
  const frames = records.map(encodeFrame);
  const bytes = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  const ends: number[] = [];
  let at = 0;
  for (const frame of frames) {
    bytes.set(frame, at);
    ends.push(at += frame.length);
  }
  return { bytes, ends };
}

Deno.test("property: frames decode back to the records they encode, in order", () => {
  fc.assert(
    fc.property(recordsArb, (records) => {
      const { bytes } = encodeAll(records);
      const { records: decoded, last, at } = decodeAll(bytes);
      assert.deepEqual(decoded, records);
      assert.equal(at, bytes.length);
      assert.equal(last.kind, "incomplete");
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: a log cut anywhere reads as its whole frames, then a torn tail", () => {
  fc.assert(
    fc.property(recordsArb, fc.nat(), (records, cutSeed) => {
      const { bytes, ends } = encodeAll(records);
      const cut = cutSeed % bytes.length;
      const { records: decoded, last } = decodeAll(bytes.subarray(0, cut));
      const whole = ends.filter((end) => end <= cut).length;
      assert.deepEqual(decoded, records.slice(0, whole));
      assert.equal(last.kind, "incomplete", "a cut frame must read as torn, not corrupt");
    }),
    { numRuns: 1000 },
  );
});

Deno.test("property: one flipped bit is detected, never read as a record", () => {
  fc.assert(
    fc.property(recordsArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (records, at, bit) => {
      const { bytes, ends } = encodeAll(records);
      const position = at % bytes.length;
      const damaged = bytes.slice();
      damaged[position] ^= 1 << bit;
      const frame = ends.findIndex((end) => position < end);
      const frameStart = frame === 0 ? 0 : ends[frame - 1];
      const { records: decoded, last } = decodeAll(damaged);
      // Frames before the damaged one are intact; the damaged one never decodes.
      assert.deepEqual(decoded, records.slice(0, frame));
      if (position - frameStart >= 4) {
        // The CRC or the body changed: a CRC mismatch (or a length check) says corrupt.
        assert.equal(last.kind, "corrupt");
      } else {
        // The length changed: either out of range / CRC mismatch, or it promises more bytes
        // than there are, which reads as a torn tail (and is cut as one).
        assert.ok(last.kind === "corrupt" || last.kind === "incomplete", last.kind);
      }
      assert.ok(position - frameStart < FRAME_HEADER_BYTES || last.kind === "corrupt");
    }),
    { numRuns: 2000 },
  );
});
