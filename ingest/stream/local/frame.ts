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
 * Decodes the frame starting at `position` of `bytes`; copies key and value out of `bytes`.
 * `maxBodyBytes` bounds the length field, so garbage is reported as corrupt, not as a wait.
 */
export function decodeFrame(
  bytes: Uint8Array,
  position: number,
  maxBodyBytes: number,
): DecodeResult {
  const available = bytes.length - position;
  if (available < FRAME_HEADER_BYTES) return { kind: "incomplete", needed: FRAME_HEADER_BYTES };
  const view = new DataView(bytes.buffer, bytes.byteOffset + position, available);
  const bodyLength = view.getUint32(0);
  if (bodyLength < MIN_BODY_BYTES || bodyLength > maxBodyBytes) {
    return { kind: "corrupt", reason: `body length ${bodyLength} out of range` };
  }
  const size = FRAME_HEADER_BYTES + bodyLength;
  if (available < size) return { kind: "incomplete", needed: size };
  const body = bytes.subarray(position + FRAME_HEADER_BYTES, position + size);
  if (crc32(body) !== view.getUint32(4)) return { kind: "corrupt", reason: "CRC mismatch" };
  try {
    return { kind: "record", record: decodeBody(body), size };
  } catch (error) {
    return { kind: "corrupt", reason: (error as Error).message };
  }
}

function decodeBody(body: Uint8Array): FrameRecord {
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new Error(`unknown magic ${view.getUint8(0)}`);
  const offset = view.getBigInt64(1);
  const timestamp = Number(view.getBigInt64(9));
  let at = 17;
  const take = (length: number): Uint8Array => {
    if (at + length > body.length) throw new Error("field runs past the end of the frame");
    const slice = body.slice(at, at + length);
    at += length;
    return slice;
  };
  const u16 = () => (at += 2, view.getUint16(at - 2));
  const u32 = () => (at += 4, view.getUint32(at - 4));
  const key = decoder.decode(take(u32()));
  const headers: Record<string, string> = {};
  const headerCount = u16();
  for (let i = 0; i < headerCount; i++) {
    const name = decoder.decode(take(u16()));
    headers[name] = decoder.decode(take(u32()));
  }
  const value = take(u32());
  if (at !== body.length) throw new Error("trailing bytes after the value");
  return { offset, timestamp, key, headers, value };
}
