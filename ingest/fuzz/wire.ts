/**
 * The bytes on the wire of the protocols the ingest speaks, written by hand so the fuzzer can
 * get them wrong on purpose: enveloped messages (gRPC, gRPC-web, Connect streaming), gRPC-web
 * trailer frames, protobuf varints and tags.
 *
 * @module
 */

/** Envelope flag: the message is compressed (grpc-encoding / connect-content-encoding). */
export const FLAG_COMPRESSED = 0x01;
/** Envelope flag of Connect's end-of-stream message. */
export const FLAG_END_STREAM = 0x02;
/** Envelope flag of gRPC-web's trailer frame. */
export const FLAG_TRAILER = 0x80;

/** One enveloped message: a flags byte, a 4-byte big-endian length, the data. */
export function envelope(
  data: Uint8Array,
  flags = 0,
  declaredLength = data.byteLength,
): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, declaredLength >>> 0);
  out.set(data, 5);
  return out;
}

/** An envelope as read back: flags and data. */
export interface Envelope {
  flags: number;
  data: Uint8Array;
}

/** Splits a body into envelopes; a torn last one is returned as `rest`. */
export function parseEnvelopes(body: Uint8Array): { envelopes: Envelope[]; rest: Uint8Array } {
  const envelopes: Envelope[] = [];
  let at = 0;
  while (body.byteLength - at >= 5) {
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0);
    if (body.byteLength - at - 5 < length) break;
    envelopes.push({ flags: body[at], data: body.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return { envelopes, rest: body.subarray(at) };
}

/** Parses a gRPC-web trailer frame's text (`name: value\r\n` lines) into lowercase names. */
export function parseTrailerText(data: Uint8Array): Map<string, string> {
  const trailer = new Map<string, string>();
  for (const line of new TextDecoder().decode(data).split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    trailer.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailer;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A protobuf varint (non-negative, up to 2^64-1). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

/** Protobuf wire types. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

/** A field tag: `(number << 3) | wireType`. */
export function tag(fieldNumber: number, wireType: number): Uint8Array {
  return varint(BigInt(fieldNumber) * 8n + BigInt(wireType));
}

/** A length-delimited field. */
export function lenField(fieldNumber: number, data: Uint8Array): Uint8Array {
  return concat([tag(fieldNumber, WireType.LEN), varint(data.byteLength), data]);
}

/** One top-level field found in protobuf bytes. */
export interface FieldSpan {
  /** Offset of the tag. */
  start: number;
  /** Offset just past the tag. */
  tagEnd: number;
  fieldNumber: number;
  wireType: number;
  /** For LEN fields: where the payload starts (after the length varint). */
  payloadStart: number;
  /** Offset just past the field. */
  end: number;
}

/** Reads a varint at `at`: its value and where it ends, or undefined when torn or too long. */
export function readVarint(
  bytes: Uint8Array,
  at: number,
): { value: bigint; end: number } | undefined {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < bytes.byteLength; i++) {
    value |= BigInt(bytes[at + i] & 0x7f) << BigInt(7 * i);
    if ((bytes[at + i] & 0x80) === 0) return { value, end: at + i + 1 };
  }
  return undefined;
}

/** The top-level fields of well-formed protobuf bytes (groups are not used by our schema). */
export function fieldSpans(bytes: Uint8Array): FieldSpan[] | undefined {
  const spans: FieldSpan[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const key = readVarint(bytes, at);
    if (!key) return undefined;
    const wireType = Number(key.value & 7n);
    const fieldNumber = Number(key.value >> 3n);
    let end: number;
    let payloadStart = key.end;
    switch (wireType) {
      case WireType.VARINT: {
        const v = readVarint(bytes, key.end);
        if (!v) return undefined;
        end = v.end;
        break;
      }
      case WireType.I64:
        end = key.end + 8;
        break;
      case WireType.I32:
        end = key.end + 4;
        break;
      case WireType.LEN: {
        const length = readVarint(bytes, key.end);
        if (!length) return undefined;
        payloadStart = length.end;
        end = length.end + Number(length.value);
        break;
      }
      default:
        return undefined;
    }
    if (end > bytes.byteLength) return undefined;
    spans.push({ start: at, tagEnd: key.end, fieldNumber, wireType, payloadStart, end });
    at = end;
  }
  return spans;
}
