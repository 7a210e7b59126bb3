/**
 * Damage done to valid protobuf bytes, at any depth of nesting: flipped bytes, a tag rewritten to
 * another wire type, a length prefix that promises more (or less) than follows, truncation. Each
 * takes a list of choices (non-negative integers from the fuzzer's seeded source) so a case is
 * reproducible from its seed.
 *
 * @module
 */
import { concat, type FieldSpan, fieldSpans, tag, varint, WireType } from "./wire.ts";

/** A deterministic picker over a list of integers (wraps around). */
export class Choices {
  #at = 0;
  constructor(readonly values: readonly number[]) {}
  /** An integer in [0, n). */
  below(n: number): number {
    if (n <= 0) return 0;
    const value = this.values[this.#at++ % this.values.length] ?? 0;
    return value % n;
  }
}

/** XORs `count` bytes at chosen offsets with chosen non-zero masks. */
export function flipBytes(bytes: Uint8Array, count: number, choose: Choices): Uint8Array {
  const out = bytes.slice();
  if (out.byteLength === 0) return out;
  for (let i = 0; i < count; i++) {
    out[choose.below(out.byteLength)] ^= 1 + choose.below(255);
  }
  return out;
}

/** The first `length` bytes. */
export function truncate(bytes: Uint8Array, length: number): Uint8Array {
  return bytes.slice(0, Math.max(0, Math.min(length, bytes.byteLength - 1)));
}

/**
 * Applies `damage` to a field chosen at a chosen depth: the descent picks a length-delimited
 * field that parses as a message and repeats inside it, re-encoding the lengths on the way out,
 * so only the innermost message is broken.
 */
export function damageNested(
  bytes: Uint8Array,
  depth: number,
  choose: Choices,
  damage: (bytes: Uint8Array, span: FieldSpan) => Uint8Array,
): Uint8Array {
  const spans = fieldSpans(bytes);
  if (!spans || spans.length === 0) return bytes;
  if (depth > 0) {
    const nested = spans.filter((s) =>
      s.wireType === WireType.LEN && s.end > s.payloadStart &&
      fieldSpans(bytes.subarray(s.payloadStart, s.end)) !== undefined
    );
    if (nested.length > 0) {
      const span = nested[choose.below(nested.length)];
      const inner = damageNested(
        bytes.slice(span.payloadStart, span.end),
        depth - 1,
        choose,
        damage,
      );
      return concat([
        bytes.subarray(0, span.start),
        tag(span.fieldNumber, WireType.LEN),
        varint(inner.byteLength),
        inner,
        bytes.subarray(span.end),
      ]);
    }
  }
  return damage(bytes, spans[choose.below(spans.length)]);
}

/** Rewrites a field's tag to a different wire type (0-7, including the invalid 6 and 7). */
export function wrongWireType(choose: Choices) {
  return (bytes: Uint8Array, span: FieldSpan): Uint8Array => {
    const wireType = (span.wireType + 1 + choose.below(7)) % 8;
    return concat([
      bytes.subarray(0, span.start),
      tag(span.fieldNumber, wireType),
      bytes.subarray(span.tagEnd),
    ]);
  };
}

/**
 * Rewrites a length-delimited field's length to promise more bytes than the message holds, or
 * fewer (the rest then reads as garbage fields); other fields get a LEN tag with a huge length.
 */
export function badLength(choose: Choices) {
  return (bytes: Uint8Array, span: FieldSpan): Uint8Array => {
    const length = span.end - span.payloadStart;
    const promised = choose.below(3) === 0
      ? 2 ** 31 + choose.below(2 ** 30)
      : choose.below(2) === 0
      ? length + 1 + choose.below(64)
      : choose.below(Math.max(1, length));
    return concat([
      bytes.subarray(0, span.start),
      tag(span.fieldNumber, WireType.LEN),
      varint(promised),
      bytes.subarray(span.wireType === WireType.LEN ? span.payloadStart : span.tagEnd),
    ]);
  };
}
