/**
 * JSON text of a decoded protobuf-es message as the lake stores it: the message's fields by their
 * local names in schema order, zero values included, enums as numbers, 64-bit integers as
 * strings, the library's `$` properties (`$typeName`, `$unknown`) left out. The same JSON value as
 * `JSON.stringify(message, plainReplacer)`, faster: a per-type function copies the message into a
 * plain object that `JSON.stringify` writes on V8's fast path (a replacer leaves that path for
 * every key, and the lake writes one such column per event).
 */
import { type DescField, type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";

type Plain = (value: unknown) => unknown;

const converters = new WeakMap<DescMessage, Plain>();

/** JSON text of `message` (of type `desc`) in the lake's plain form. */
export function plainMessageJson(desc: DescMessage, message: Message): string {
  return JSON.stringify(plainOf(desc)(message));
}

/** The replacer `plainMessageJson` stands for: no `$` properties, 64-bit integers as strings. */
export function plainReplacer(key: string, value: unknown): unknown {
  return key.startsWith("$") ? undefined : typeof value === "bigint" ? value.toString() : value;
}

/** A function copying a message of type `desc` into its plain form. */
export function plainOf(desc: DescMessage): Plain {
  let convert = converters.get(desc);
  if (convert === undefined) {
    // Registered first, so recursive types find it (through the lambda).
    converters.set(desc, (m) => convert!(m));
    convert = compile(desc);
    converters.set(desc, convert);
  }
  return convert;
}

function compile(desc: DescMessage): Plain {
  // Fields and oneofs in schema order; unset message and optional fields become undefined,
  // which JSON.stringify leaves out, as it leaves out the absent properties.
  const parts = desc.members.map((member): [string, Plain] => {
    if (member.kind === "oneof") {
      const cases = new Map(member.fields.map((f) => [f.localName, valueOf(f)]));
      return [member.localName, (v) => {
        const chosen = v as { case?: string; value?: unknown };
        return chosen.case === undefined
          ? {}
          : { case: chosen.case, value: cases.get(chosen.case)!(chosen.value) };
      }];
    }
    return [member.localName, valueOf(member)];
  });
  return (m) => {
    const message = m as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, convert] of parts) out[key] = convert(message[key]);
    return out;
  };
}

function valueOf(field: DescField): Plain {
  switch (field.fieldKind) {
    case "message": {
      if (field.message.typeName.startsWith("google.protobuf.")) return fallback;
      const convert = plainOf(field.message);
      return (v) => (v === undefined ? undefined : convert(v));
    }
    case "list": {
      if (field.listKind === "message") {
        const convert = plainOf(field.message);
        return (v) => (v as unknown[]).map(convert);
      }
      return field.listKind === "scalar" && isLong(field.scalar)
        ? (v) => (v as unknown[]).map(String)
        : field.listKind === "scalar" && field.scalar === ScalarType.BYTES
        ? fallback
        : identity;
    }
    case "map":
      return field.mapKind === "scalar" && !isLong(field.scalar) &&
          field.scalar !== ScalarType.BYTES
        ? identity
        : fallback;
    case "scalar":
      if (isLong(field.scalar)) return (v) => (typeof v === "bigint" ? String(v) : v);
      return field.scalar === ScalarType.BYTES ? fallback : identity;
    default:
      return identity;
  }
}

const identity: Plain = (v) => v;
/** Rare shapes (bytes, well-known types, maps of messages): the replacer's own result. */
const fallback: Plain = (v) =>
  v === undefined ? undefined : JSON.parse(JSON.stringify(v, plainReplacer));

function isLong(scalar: ScalarType): boolean {
  return scalar === ScalarType.INT64 || scalar === ScalarType.UINT64 ||
    scalar === ScalarType.SINT64 || scalar === ScalarType.FIXED64 ||
    scalar === ScalarType.SFIXED64;
}
