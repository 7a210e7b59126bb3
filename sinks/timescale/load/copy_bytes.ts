/**
 * COPY text rows written straight into UTF-8 bytes: the same bytes as encoding `eventCopyLine`'s
 * text, without building a string per row, concatenating a chunk of them and encoding that again
 * (the rope of a 1 MiB chunk cost more to flatten and encode than its rows cost to build).
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import { type ColumnValue, EVENT_COLUMNS } from "../event_row.ts";
import { nulFreeJson } from "../nul_free.ts";

const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const BACKSLASH = 92;
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ENCODER = new TextEncoder();
/** Strings longer than this go to `TextEncoder.encodeInto` when they need no escape. */
const NATIVE_FROM = 32;

/** Appends COPY text fields to a growing byte buffer; `take` hands the bytes over. */
export class CopyBytes {
  #buf: Uint8Array;
  #pos = 0;

  /** A buffer of `capacity` bytes to start with (it grows as needed). */
  constructor(capacity = 1 << 20) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written since the last `take`. */
  get length(): number {
    return this.#pos;
  }

  /**
   * The row of `event` (its columns tab-separated, with the newline) by the generic column list
   * of `EVENT_COLUMNS`: the reference that `EventRowWriter` (event_row_bytes.ts) must match.
   */
  writeEvent(event: Event): void {
    const columns = EVENT_COLUMNS;
    this.#value(columns[0].value(event));
    for (let i = 1; i < columns.length; i++) {
      this.#ensure(1);
      this.#buf[this.#pos++] = TAB;
      this.#value(columns[i].value(event));
    }
    this.#ensure(1);
    this.#buf[this.#pos++] = NEWLINE;
  }

  /** The bytes written so far, as a new array; the writer starts again empty. */
  take(): Uint8Array {
    const bytes = this.#buf.slice(0, this.#pos);
    this.#pos = 0;
    return bytes;
  }

  #value(value: ColumnValue): void {
    if (value === null) this.ascii("\\N");
    else if (typeof value === "string") this.text(value);
    else if (typeof value === "boolean") this.ascii(value ? "t" : "f");
    else this.ascii(String(value));
  }

  /** One byte, e.g. a tab or a newline. */
  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** `bytes` as they are (pre-encoded constant text). */
  bytes(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** `n` (0 ≤ n < 10^width) in decimal, zero-padded to `width` digits. */
  digits(n: number, width: number): void {
    this.#ensure(width);
    const buf = this.#buf;
    const end = this.#pos + width;
    for (let p = end - 1; p >= this.#pos; p--) {
      buf[p] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.#pos = end;
  }

  /** JSON text (as `JSON.stringify` writes it: no raw NUL, tab or newline) in COPY form. */
  json(s: string): void {
    // Without a backslash it holds neither an escaped NUL nor anything COPY must escape.
    if (s.length > NATIVE_FROM && !s.includes("\\")) {
      this.#ensure(s.length * 3);
      this.#pos += ENCODER.encodeInto(s, this.#buf.subarray(this.#pos)).written;
    } else this.text(nulFreeJson(s));
  }

  /** `s` known to need neither escapes nor more than one byte per character. */
  ascii(s: string): void {
    this.#ensure(s.length);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    this.#pos = pos;
  }

  /** `s` as UTF-8 with COPY's escapes (backslash, tab, newline, carriage return). */
  text(s: string): void {
    const n = s.length;
    // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units).
    this.#ensure(n * 3);
    if (n > NATIVE_FROM && !NEEDS_ESCAPE.test(s)) {
      // Long values (URLs, user agents, the JSON columns) without escapes: one native call.
      this.#pos += ENCODER.encodeInto(s, this.#buf.subarray(this.#pos)).written;
      return;
    }
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c === BACKSLASH || c === TAB || c === NEWLINE || c === RETURN) {
          buf[pos++] = BACKSLASH;
          c = c === TAB ? 116 : c === NEWLINE ? 110 : c === RETURN ? 114 : BACKSLASH;
        }
        buf[pos++] = c;
      } else if (c < 0x800) {
        buf[pos++] = 0xc0 | (c >> 6);
        buf[pos++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          buf[pos++] = 0xf0 | (cp >> 18);
          buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[pos++] = 0x80 | (cp & 0x3f);
          i++;
        } else {
          // A lone surrogate is U+FFFD, as TextEncoder writes it.
          buf[pos++] = 0xef;
          buf[pos++] = 0xbf;
          buf[pos++] = 0xbd;
        }
      } else {
        buf[pos++] = 0xe0 | (c >> 12);
        buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
        buf[pos++] = 0x80 | (c & 0x3f);
      }
    }
    this.#pos = pos;
  }

  /** Room for `more` bytes, growing the buffer when needed. */
  #ensure(more: number): void {
    if (this.#pos + more <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + more));
    grown.set(this.#buf.subarray(0, this.#pos));
    this.#buf = grown;
  }
}
