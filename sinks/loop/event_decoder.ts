/**
 * A binary decoder compiled from a message's descriptor that gives what `fromBinary` gives, with
 * less work per field: no array per tag, field readers indexed by number, strings up to 128 ASCII
 * bytes decoded without a native call, messages built from a template instead of `create`. It
 * handles the shapes the analytics schema uses; anything else in a record (unknown fields, a
 * message field or oneof case given twice, an unexpected wire type, bytes that do not decode,
 * closed enums) makes it decode that record with `fromBinary` instead, so the result (or the
 * error) is always the library's. The consume loop decodes every record: about a quarter less CPU
 * than `fromBinary` for the sample events (6-8 µs less per row in the hot sink).
 *
 * @module
 */
import {
  create,
  type DescField,
  type DescMessage,
  fromBinary,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** Thrown inside the fast path when the record needs the library. */
class NeedsLibrary extends Error {}
const NEEDS_LIBRARY = new NeedsLibrary();

/** Reads one field's value into `message`; its tag began at `tagStart`. */
type FieldReader = (
  message: Record<string, unknown>,
  cx: Cursor,
  wireType: number,
  tagStart: number,
) => void;

/** The record being decoded: its bytes and a reader positioned in them. */
interface Cursor {
  bytes: Uint8Array;
  reader: BinaryReader;
}

interface Compiled {
  make: () => Record<string, unknown>;
  fields: (FieldReader | undefined)[];
}

const compiledMessages = new WeakMap<DescMessage, Compiled>();

/**
 * A decoder of `desc` from binary: the same message as `fromBinary(desc, bytes)`, and the same
 * error when the bytes are not a valid message.
 */
export function eventDecoder<Desc extends DescMessage>(
  desc: Desc,
): (bytes: Uint8Array) => MessageShape<Desc> {
  const compiled = compiledOf(desc);
  return (bytes) => {
    try {
      const reader = new BinaryReader(bytes);
      return readMessage(compiled, { bytes, reader }, bytes.byteLength) as MessageShape<Desc>;
    } catch {
      // NEEDS_LIBRARY, or bytes that do not decode: the library decides, and words any error.
      return fromBinary(desc, bytes);
    }
  };
}

function readMessage(compiled: Compiled, cx: Cursor, end: number): Record<string, unknown> {
  const message = compiled.make();
  const reader = cx.reader;
  const fields = compiled.fields;
  while (reader.pos < end) {
    const tagStart = reader.pos;
    const tag = reader.uint32();
    const read = fields[tag >>> 3];
    if (read === undefined) throw NEEDS_LIBRARY; // unknown field: kept in $unknown by the library
    read(message, cx, tag & 7, tagStart);
  }
  if (reader.pos !== end) throw NEEDS_LIBRARY;
  return message;
}

function compiledOf(desc: DescMessage): Compiled {
  let compiled = compiledMessages.get(desc);
  if (compiled === undefined) {
    compiled = { make: templateOf(desc), fields: [] };
    // Registered before its fields compile, so a recursive type finds it.
    compiledMessages.set(desc, compiled);
    for (const field of desc.fields) compiled.fields[field.number] = fieldReader(field);
  }
  return compiled;
}

/** A factory of the message `create(desc)` makes, from the shape of one made at start. */
function templateOf(desc: DescMessage): () => Record<string, unknown> {
  const sample = create(desc) as unknown as Record<string, unknown>;
  if (Object.getPrototypeOf(sample) !== Object.prototype) {
    return () => create(desc) as unknown as Record<string, unknown>;
  }
  const keys = Object.keys(sample);
  const makers = keys.map((key): () => unknown => {
    const value = sample[key];
    if (Array.isArray(value)) return () => [];
    if (value !== null && typeof value === "object") {
      if ("case" in value) return () => ({ case: undefined });
      return () => ({});
    }
    return () => value;
  });
  return () => {
    const message: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) message[keys[i]] = makers[i]();
    return message;
  };
}

function fieldReader(field: DescField): FieldReader | undefined {
  const local = field.localName;
  switch (field.fieldKind) {
    case "scalar":
    case "enum": {
      if (field.fieldKind === "enum" && !field.enum.open) return undefined;
      const scalar = field.fieldKind === "enum" ? ScalarType.INT32 : field.scalar;
      const wire = wireTypeOf(scalar);
      const read = scalarReader(scalar, field.fieldKind === "scalar" && field.longAsString);
      if (field.oneof) {
        const oneof = field.oneof.localName;
        return (m, cx, wireType) => {
          if (wireType !== wire) throw NEEDS_LIBRARY;
          m[oneof] = { case: local, value: read(cx) };
        };
      }
      return (m, cx, wireType) => {
        if (wireType !== wire) throw NEEDS_LIBRARY;
        m[local] = read(cx);
      };
    }
    case "message": {
      if (field.delimitedEncoding) return undefined;
      if (!plainMessage(field.message)) return field.oneof ? undefined : byLibrary(field);
      const child = compiledOf(field.message);
      if (field.oneof) {
        const oneof = field.oneof.localName;
        return (m, cx, wireType) => {
          if (wireType !== WireType.LengthDelimited) throw NEEDS_LIBRARY;
          if ((m[oneof] as { case?: string }).case === local) throw NEEDS_LIBRARY; // a merge
          m[oneof] = { case: local, value: readChild(child, cx) };
        };
      }
      return (m, cx, wireType) => {
        if (wireType !== WireType.LengthDelimited || m[local] !== undefined) {
          throw NEEDS_LIBRARY;
        }
        m[local] = readChild(child, cx);
      };
    }
    case "list": {
      if (field.listKind === "message") {
        if (field.delimitedEncoding || !plainMessage(field.message)) return undefined;
        const child = compiledOf(field.message);
        return (m, cx, wireType) => {
          if (wireType !== WireType.LengthDelimited) throw NEEDS_LIBRARY;
          (m[local] as unknown[]).push(readChild(child, cx));
        };
      }
      if (field.listKind === "enum" && !field.enum.open) return undefined;
      const scalar = field.listKind === "enum" ? ScalarType.INT32 : field.scalar;
      const wire = wireTypeOf(scalar);
      const read = scalarReader(scalar, field.listKind === "scalar" && field.longAsString);
      return (m, cx, wireType) => {
        const list = m[local] as unknown[];
        if (wireType === wire) {
          list.push(read(cx));
        } else if (wireType === WireType.LengthDelimited) {
          const end = cx.reader.uint32() + cx.reader.pos; // packed
          while (cx.reader.pos < end) list.push(read(cx));
          if (cx.reader.pos !== end) throw NEEDS_LIBRARY;
        } else {
          throw NEEDS_LIBRARY;
        }
      };
    }
    case "map": {
      if (field.mapKey !== ScalarType.STRING || field.mapKind !== "scalar") return undefined;
      if (field.scalar === ScalarType.BYTES) return undefined;
      const valueWire = wireTypeOf(field.scalar);
      const readValue = scalarReader(field.scalar, false);
      const valueZero = field.scalar === ScalarType.STRING
        ? ""
        : field.scalar === ScalarType.BOOL
        ? false
        : undefined;
      if (valueZero === undefined) return undefined;
      return (m, cx, wireType) => {
        if (wireType !== WireType.LengthDelimited) throw NEEDS_LIBRARY;
        const reader = cx.reader;
        const end = reader.uint32() + reader.pos;
        let key = "";
        let value: unknown = valueZero;
        while (reader.pos < end) {
          const tag = reader.uint32();
          if (tag === ((1 << 3) | WireType.LengthDelimited)) key = readString(cx);
          else if (tag === ((2 << 3) | valueWire)) value = readValue(cx);
          else throw NEEDS_LIBRARY;
        }
        if (reader.pos !== end || key === "__proto__") throw NEEDS_LIBRARY;
        (m[local] as Record<string, unknown>)[key] = value;
      };
    }
  }
}

/**
 * A singular message field whose local form is not the message (Struct as a JSON object,
 * wrappers as their value): the library decodes that field alone, as part of a message holding
 * only it, and the value is taken from there.
 */
function byLibrary(field: DescField & { fieldKind: "message" }): FieldReader {
  const local = field.localName;
  const parent = field.parent;
  return (m, cx, wireType, tagStart) => {
    if (wireType !== WireType.LengthDelimited || m[local] !== undefined) throw NEEDS_LIBRARY;
    const reader = cx.reader;
    const end = reader.uint32() + reader.pos;
    if (end > cx.bytes.byteLength) throw NEEDS_LIBRARY;
    reader.pos = end;
    const alone = fromBinary(parent, cx.bytes.subarray(tagStart, end));
    m[local] = (alone as unknown as Record<string, unknown>)[local];
  };
}

/** A message with no JSON-typed or unwrapped local form (Struct, Value, wrappers): those are
 * left to the library. */
function plainMessage(desc: DescMessage): boolean {
  return !desc.typeName.startsWith("google.protobuf.") ||
    desc.typeName === "google.protobuf.Timestamp" || desc.typeName === "google.protobuf.Duration";
}

function readChild(child: Compiled, cx: Cursor): Record<string, unknown> {
  const length = cx.reader.uint32();
  const end = cx.reader.pos + length;
  if (end > cx.bytes.byteLength) throw NEEDS_LIBRARY;
  return readMessage(child, cx, end);
}

function wireTypeOf(scalar: ScalarType): number {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}

function scalarReader(scalar: ScalarType, longAsString: boolean): (cx: Cursor) => unknown {
  const long = (read: (r: BinaryReader) => bigint | string) =>
    longAsString ? (cx: Cursor) => String(read(cx.reader)) : (cx: Cursor) => read(cx.reader);
  switch (scalar) {
    case ScalarType.STRING:
      return readString;
    case ScalarType.BOOL:
      return (cx) => cx.reader.bool();
    case ScalarType.DOUBLE:
      return (cx) => cx.reader.double();
    case ScalarType.FLOAT:
      return (cx) => cx.reader.float();
    case ScalarType.INT32:
      return (cx) => cx.reader.int32();
    case ScalarType.UINT32:
      return (cx) => cx.reader.uint32();
    case ScalarType.SINT32:
      return (cx) => cx.reader.sint32();
    case ScalarType.FIXED32:
      return (cx) => cx.reader.fixed32();
    case ScalarType.SFIXED32:
      return (cx) => cx.reader.sfixed32();
    case ScalarType.INT64:
      return long((r) => r.int64());
    case ScalarType.UINT64:
      return long((r) => r.uint64());
    case ScalarType.SINT64:
      return long((r) => r.sint64());
    case ScalarType.FIXED64:
      return long((r) => r.fixed64());
    case ScalarType.SFIXED64:
      return long((r) => r.sfixed64());
    case ScalarType.BYTES:
      return (cx) => cx.reader.bytes();
  }
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** Longest string decoded in JavaScript when all its bytes are ASCII (a native call costs more
 * up to about this length). */
const ASCII_IN_JS = 128;

/** A string field: ASCII up to `ASCII_IN_JS` bytes in JavaScript, else as strict UTF-8. */
function readString(cx: Cursor): string {
  const reader = cx.reader;
  const length = reader.uint32();
  const start = reader.pos;
  const end = start + length;
  const bytes = cx.bytes;
  if (end > bytes.byteLength) throw NEEDS_LIBRARY;
  reader.pos = end;
  if (length <= ASCII_IN_JS) {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) {
      const byte = bytes[start + i];
      if (byte > 0x7f) return STRICT_UTF8.decode(bytes.subarray(start, end));
      codes[i] = byte;
    }
    return String.fromCharCode.apply(null, codes);
  }
  return STRICT_UTF8.decode(bytes.subarray(start, end));
}
