/**
 * The byte layout of one record in a segment file (see docs/local-log.md):
 *
 * ```
 * u32 bodyLength | u32 crc32(body) | body
 * body = u8 magic(1) | i64 offset | i64 timestampMs | u32 keyLength | key
 *      | u16 headerCount | (u16 nameLength | name | u32 valueLength | value)*
 * | u32 valueLength | value
 * ```
 *
 * All integers are big-endian, as in Kafka. The CRC (IEEE CRC-32, computed natively by
 * `node:zlib`) covers the whole body, so a torn or overwritten frame is detected.
 */
import { crc32 } from "node:zlib";

/** Bytes before the body: the body length and its CRC. */
export const FRAME_HEADER_BYTES = 8;
/** The format version stored in each frame's first body byte. */
export const FRAME_MAGIC = 1;
/** The smallest valid body: magic, offset, timestamp, empty key, no headers, empty value. */
export const MIN_BODY_BYTES = 1 + 8 + 8 + 4 + 2 + 4;

/** A record as stored in a frame. */
export interface FrameRecord {
  offset: bigint;
  timestamp: number;
  key: string;
  headers: Record<string, string>;
  value: Uint8Array;
}

/** The result of decoding at a position: a record, too few bytes yet, or invalid bytes. */
export type DecodeResult =
  | { kind: "record"; record: FrameRecord; size: number }
  | { kind: "incomplete"; needed: number }
  | { kind: "corrupt"; reason: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes one record as a frame ready to append. */
export function encodeFrame(record: FrameRecord): Uint8Array {
  const key = encoder.encode(record.key);
  const headers = Object.entries(record.headers).map(
    ([name, value]) => [encoder.encode(name), encoder.encode(value)] as const,
  );
  if (headers.length > 0xffff) throw new RangeError("a record has more than 65535 headers");
  let bodyLength = MIN_BODY_BYTES + key.length + record.value.length;
  for (const [name, value] of headers) {
    if (name.length > 0xffff) throw new RangeError("a header name is longer than 65535 bytes");
    bodyLength += 2 + name.length + 4 + value.length;
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + bodyLength);
  const view = new DataView(frame.buffer);
  let at = FRAME_HEADER_BYTES;
  view.setUint32(0, bodyLength);
  view.setUint8(at, FRAME_MAGIC);
  view.setBigInt64(at + 1, record.offset);
  view.setBigInt64(at + 9, BigInt(record.timestamp));
  view.setUint32(at + 17, key.length);
  at += 21;
  frame.set(key, at);
  at += key.length;
  view.setUint16(at, headers.length);
  at += 2;
  for (const [name, value] of headers) {
    view.setUint16(at, name.length);
    frame.set(name, at + 2);
    at += 2 + name.length;
    view.setUint32(at, value.length);
    frame.set(value, at + 4);
    at += 4 + value.length;
  }
  view.setUint32(at, record.value.length);
  frame.set(record.value, at + 4);
  view.setUint32(4, crc32(frame.subarray(FRAME_HEADER_BYTES)));
  return frame;
}

/** The frame size `encodeFrame` would produce, without encoding. */
export function frameSize(record: Omit<FrameRecord, "offset" | "timestamp">): number {
  let size = FRAME_HEADER_BYTES + MIN_BODY_BYTES + encoder.encode(record.key).length +
    record.value.length;
  const headers = Object.entries(record.headers);
  if (headers.length > 0xffff) throw new RangeError("a record has more than 65535 headers");
  for (const [name, value] of headers) {
    const nameLength = encoder.encode(name).length;
    if (nameLength > 0xffff) throw new RangeError("a header name is longer than 65535 bytes");
    size += 6 + nameLength + encoder.encode(value).length;
  }
  return size;
}

/**
 * Decodes the frame starting at `position` of `bytes`. The record's value is a view into `bytes`
 * (no copy): the caller must not overwrite those bytes while the record is in use. `maxBodyBytes`
 * bounds the length field, so garbage is reported as corrupt, not as a wait.
 */
export function decodeFrame(
  bytes: Uint8Array,
  position: number,
  maxBodyBytes: number,
): DecodeResult {
  const available = bytes.length - position;
  if (available < FRAME_HEADER_BYTES) return { kind: "incomplete", needed: FRAME_HEADER_BYTES };
  const bodyLength = u32(bytes, position);
  if (bodyLength < MIN_BODY_BYTES || bodyLength > maxBodyBytes) {
    return { kind: "corrupt", reason: `body length ${bodyLength} out of range` };
  }
  const size = FRAME_HEADER_BYTES + bodyLength;
  if (available < size) return { kind: "incomplete", needed: size };
  const bodyStart = position + FRAME_HEADER_BYTES;
  const bodyEnd = position + size;
  if (crc32(bytes.subarray(bodyStart, bodyEnd)) !== u32(bytes, position + 4)) {
    return { kind: "corrupt", reason: "CRC mismatch" };
  }
  try {
    return { kind: "record", record: decodeBody(bytes, bodyStart, bodyEnd), size };
  } catch (error) {
    return { kind: "corrupt", reason: (error as Error).message };
  }
}

/** Decodes the body in `bytes[start, end)`, whose CRC has been checked. */
function decodeBody(bytes: Uint8Array, start: number, end: number): FrameRecord {
  if (bytes[start] !== FRAME_MAGIC) throw new Error(`unknown magic ${bytes[start]}`);
  const offset = i64(bytes, start + 1);
  const timestamp = Number(i64(bytes, start + 9));
  let at = start + 17;
  // Every read is checked against `end` first, so nothing past the body is ever read.
  const need = (length: number): void => {
    if (at + length > end) throw new Error("field runs past the end of the frame");
  };
  need(4);
  let length = u32(bytes, at);
  need(4 + length);
  const key = decodeString(bytes, at + 4, at += 4 + length);
  need(2);
  const headerCount = u16(bytes, at);
  at += 2;
  const headers: Record<string, string> = {};
  for (let i = 0; i < headerCount; i++) {
    need(2);
    length = u16(bytes, at);
    need(2 + length);
    const name = headerStrings.decode(2 * i, bytes, at + 2, at += 2 + length);
    need(4);
    length = u32(bytes, at);
    need(4 + length);
    headers[name] = headerStrings.decode(2 * i + 1, bytes, at + 4, at += 4 + length);
  }
  need(4);
  length = u32(bytes, at);
  need(4 + length);
  const value = bytes.subarray(at + 4, at += 4 + length);
  if (at !== end) throw new Error("trailing bytes after the value");
  return { offset, timestamp, key, headers, value };
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** A big-endian signed 64-bit integer, with one BigInt conversion when it fits in 53 bits. */
function i64(bytes: Uint8Array, at: number): bigint {
  const high = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
  const low = u32(bytes, at + 4);
  if (high >= -0x200000 && high < 0x200000) return BigInt(high * 0x1_0000_0000 + low);
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Strings up to this many bytes are decoded in JS when ASCII, avoiding a `TextDecoder` call. */
const SHORT_STRING_BYTES = 64;

/** Decodes UTF-8 `bytes[start, end)`; invalid UTF-8 throws, as a fatal `TextDecoder` does. */
function decodeString(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING_BYTES) {
    let text = "";
    let i = start;
    for (; i < end && bytes[i] < 0x80; i++) text += String.fromCharCode(bytes[i]);
    if (i === end) return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * Header names and values repeat from record to record (the same names, the same schema, one
 * traceparent per ingest request): each header slot keeps its last bytes and string, and a
 * byte-equal field reuses the string instead of decoding it again.
 */
class RepeatedStrings {
  #bytes: Uint8Array[] = [];
  #strings: string[] = [];

  /** The string of UTF-8 `bytes[start, end)` for header field `slot`. */
  decode(slot: number, bytes: Uint8Array, start: number, end: number): string {
    if (slot >= 16) return decodeString(bytes, start, end);
    const last = this.#bytes[slot];
    if (last !== undefined && last.length === end - start) {
      let i = 0;
      while (i < last.length && last[i] === bytes[start + i]) i++;
      if (i === last.length) return this.#strings[slot];
    }
    const text = decodeString(bytes, start, end);
    if (end - start <= SHORT_STRING_BYTES * 4) {
      this.#bytes[slot] = bytes.slice(start, end);
      this.#strings[slot] = text;
    }
    return text;
  }
}

const headerStrings = new RepeatedStrings();
