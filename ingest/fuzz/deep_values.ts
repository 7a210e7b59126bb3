/**
 * Deeply nested `properties` (google.protobuf.Struct) in both encodings, built without
 * recursion so any depth is cheap: JSON text, and protobuf bytes written outside-in from the
 * lengths computed inside-out.
 *
 * @module
 */
const jsonCache = new Map<string, string>();
const binaryCache = new Map<number, Uint8Array>();

/** `{"a":{"a":...1...}}` (objects) or `[[...1...]]` (lists), `depth` levels deep (memoised). */
export function deepJson(depth: number, lists: boolean): string {
  const key = `${depth}/${lists}`;
  let text = jsonCache.get(key);
  if (text === undefined) jsonCache.set(key, text = buildDeepJson(depth, lists));
  return text;
}

function buildDeepJson(depth: number, lists: boolean): string {
  return lists
    ? "[".repeat(depth) + "1" + "]".repeat(depth)
    : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

// Struct { map<string, Value> fields = 1 }: entry { string key = 1; Value value = 2 }.
// Value { double number_value = 2; Struct struct_value = 5 }. Every tag here is one byte.
const TAG_STRUCT_VALUE = 0x2a; // Value.struct_value = 5, LEN
const TAG_FIELDS = 0x0a; // Struct.fields = 1, LEN
const KEY_A = [0x0a, 0x01, 0x61]; // entry.key = 1, LEN, "a"
const TAG_VALUE = 0x12; // entry.value = 2, LEN
const NUMBER_VALUE = [0x11, 0, 0, 0, 0, 0, 0, 0, 0]; // Value.number_value = 2, I64, 0.0

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

/** The bytes of a Struct nested `depth` levels (`{"a": {"a": ... 0}}`), memoised. */
export function deepStructBinary(depth: number): Uint8Array {
  let bytes = binaryCache.get(depth);
  if (bytes === undefined) binaryCache.set(depth, bytes = buildDeepStruct(depth));
  return bytes;
}

function buildDeepStruct(depth: number): Uint8Array {
  if (depth === 0) return new Uint8Array();
  // Sizes inside-out: value(0) is a number; struct(k) holds one entry holding value(k-1);
  // value(k) wraps struct(k).
  const entrySizes: number[] = [0];
  const structSizes: number[] = [0];
  const valueSizes: number[] = [NUMBER_VALUE.length];
  for (let k = 1; k <= depth; k++) {
    const inner = valueSizes[k - 1];
    entrySizes.push(KEY_A.length + 1 + varintSize(inner) + inner);
    structSizes.push(1 + varintSize(entrySizes[k]) + entrySizes[k]);
    valueSizes.push(1 + varintSize(structSizes[k]) + structSizes[k]);
  }
  // Written outside-in; each nested part is the last thing in its parent, so no suffixes.
  const out = new Uint8Array(structSizes[depth]);
  let at = 0;
  for (let k = depth; k >= 1; k--) {
    if (k < depth) {
      out[at++] = TAG_STRUCT_VALUE;
      at = writeVarint(out, at, structSizes[k]);
    }
    out[at++] = TAG_FIELDS;
    at = writeVarint(out, at, entrySizes[k]);
    out.set(KEY_A, at);
    at += KEY_A.length;
    out[at++] = TAG_VALUE;
    at = writeVarint(out, at, valueSizes[k - 1]);
  }
  out.set(NUMBER_VALUE, at);
  return out;
}
