/**
 * Protobuf JSON text of a message, written straight to a string: the same JSON value as
 * `JSON.stringify(toJson(desc, message))` (field order aside, which `jsonb` does not keep)
 * without building the intermediate object tree. The hot sink writes three such columns per row.
 */
import {
  type DescEnum,
  type DescField,
  type DescMessage,
  type Message,
  ScalarType,
  toJson,
} from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";

/** Writes one message (or a well-known type's JSON form) as JSON text. */
type Writer = (message: Record<string, unknown>) => string;
/** Writes one field value as JSON text. */
type ValueWriter = (value: unknown) => string;

const writers = new WeakMap<DescMessage, Writer>();

/**
 * JSON text of `message` (of type `desc`) by the protobuf JSON mapping: lowerCamel names, fields
 * at their zero value left out, 64-bit integers as strings, enums by name (by number when the
 * schema does not know it), timestamps in RFC 3339.
 */
export function messageJson<Desc extends DescMessage>(desc: Desc, message: Message): string {
  return writerOf(desc)(message as unknown as Record<string, unknown>);
}

function writerOf(desc: DescMessage): Writer {
  let writer = writers.get(desc);
  if (writer === undefined) {
    // Registered before the fields compile, so recursive types find it (through the lambda).
    writers.set(desc, (m) => writer!(m));
    writer = compileMessage(desc);
    writers.set(desc, writer);
  }
  return writer;
}

function compileMessage(desc: DescMessage): Writer {
  if (desc.typeName.startsWith("google.protobuf.")) {
    // Other well-known types have JSON forms of their own: rare here, so the library writes them.
    return (m) => JSON.stringify(toJson(desc, m as unknown as Message));
  }
  const fields = desc.fields.map(compileField);
  return (m) => {
    let out = "";
    for (const field of fields) {
      const text = field(m);
      if (text !== "") out += out === "" ? text : "," + text;
    }
    return "{" + out + "}";
  };
}

/** `"name":value` of a field, or "" when the field is left out. */
function compileField(field: DescField): (message: Record<string, unknown>) => string {
  const key = JSON.stringify(field.jsonName) + ":";
  const local = field.localName;
  if (field.fieldKind === "list") {
    const write = field.listKind === "message"
      ? messageValue(field.message)
      : field.listKind === "enum"
      ? enumValue(field.enum)
      : scalarValue(field.scalar);
    return (m) => {
      const list = m[local] as unknown[];
      return list.length === 0 ? "" : key + "[" + list.map(write).join(",") + "]";
    };
  }
  if (field.fieldKind === "map") {
    const write = field.mapKind === "message"
      ? messageValue(field.message)
      : field.mapKind === "enum"
      ? enumValue(field.enum)
      : scalarValue(field.scalar);
    return (m) => {
      const map = m[local] as Record<string, unknown>;
      let out = "";
      for (const k in map) {
        out += (out === "" ? "" : ",") + JSON.stringify(k) + ":" + write(map[k]);
      }
      return out === "" ? "" : key + "{" + out + "}";
    };
  }
  const write = field.fieldKind === "message"
    ? messageValue(field.message)
    : field.fieldKind === "enum"
    ? enumValue(field.enum)
    : scalarValue(field.scalar);
  if (field.oneof) {
    const oneof = field.oneof.localName;
    return (m) => {
      const chosen = m[oneof] as { case?: string; value?: unknown };
      return chosen.case === local ? key + write(chosen.value) : "";
    };
  }
  if (field.fieldKind === "message" || field.presence !== IMPLICIT) {
    return (m) => {
      const value = m[local];
      return value === undefined || !Object.hasOwn(m, local) ? "" : key + write(value);
    };
  }
  const isZero = zeroTest(field);
  return (m) => {
    const value = m[local];
    return isZero(value) ? "" : key + write(value);
  };
}

/** `FieldPresence.IMPLICIT` (proto3 fields without `optional`). */
const IMPLICIT = 2;

function zeroTest(field: DescField): (value: unknown) => boolean {
  if (field.fieldKind === "enum") {
    const zero = field.enum.values[0].number;
    return (v) => v === zero;
  }
  if (field.fieldKind !== "scalar") return () => false;
  switch (field.scalar) {
    case ScalarType.STRING:
      return (v) => v === "";
    case ScalarType.BOOL:
      return (v) => v === false;
    case ScalarType.BYTES:
      return (v) => (v as Uint8Array).byteLength === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return (v) => Object.is(v, 0);
    default:
      // 0, 0n and "0" (64-bit integers as strings).
      return (v) => v == 0;
  }
}

function messageValue(desc: DescMessage): ValueWriter {
  if (desc.typeName === "google.protobuf.Timestamp") {
    const write = timestampWriter();
    return (v) => `"${write(v as Timestamp)}"`;
  }
  if (desc.typeName === "google.protobuf.Struct" || desc.typeName === "google.protobuf.Value") {
    // protobuf-es holds these fields as plain JSON values already.
    return (v) => JSON.stringify(v);
  }
  const write = writerOf(desc);
  return (v) => write(v as Record<string, unknown>);
}

function enumValue(desc: DescEnum): ValueWriter {
  if (desc.typeName === "google.protobuf.NullValue") return () => "null";
  const names = new Map(desc.values.map((v) => [v.number, JSON.stringify(v.name)]));
  return (v) => names.get(v as number) ?? String(v);
}

function scalarValue(scalar: ScalarType): ValueWriter {
  switch (scalar) {
    case ScalarType.STRING:
      return (v) => JSON.stringify(v);
    case ScalarType.BOOL:
      return (v) => (v ? "true" : "false");
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return (v) => Number.isFinite(v) ? String(v) : `"${v === -Infinity ? "-Infinity" : v}"`;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return (v) => `"${v}"`;
    case ScalarType.BYTES:
      return (v) => `"${btoa(String.fromCharCode(...(v as Uint8Array)))}"`;
    default:
      return (v) => String(v);
  }
}

/**
 * A writer of RFC 3339 text as protobuf JSON writes timestamps (0, 3, 6 or 9 fraction digits).
 * Each keeps the text of the last second it wrote: one per field, since a batch's events share
 * seconds within a field but not across fields.
 */
export function timestampWriter(): (ts: Timestamp) => string {
  let lastSeconds: bigint | undefined;
  let prefix = "";
  return (ts) => {
    if (ts.seconds !== lastSeconds) {
      prefix = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
      lastSeconds = ts.seconds;
    }
    const nanos = ts.nanos;
    if (nanos === 0) return prefix + "Z";
    const digits = String(nanos + 1_000_000_000).slice(1);
    if (nanos % 1_000_000 === 0) return prefix + "." + digits.slice(0, 3) + "Z";
    if (nanos % 1_000 === 0) return prefix + "." + digits.slice(0, 6) + "Z";
    return prefix + "." + digits + "Z";
  };
}
