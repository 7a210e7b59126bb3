/**
 * PostgreSQL `text` cannot hold U+0000, and `jsonb` refuses the escape `\u0000`: a string with a
 * NUL (valid UTF-8, accepted by the schema) would fail its batch on every retry and stall the hot
 * sink. The hot store keeps such values with each NUL replaced by U+FFFD (the lake keeps them
 * exactly); docs/hot-store.md says so.
 *
 * @module
 */

/** `value` with every U+0000 replaced by U+FFFD. */
export function nulFreeText(value: string): string {
  return value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value;
}

// `\u0000` escapes that are not themselves an escaped backslash followed by "u0000".
const ESCAPED_NUL = /(?<=(?:^|[^\\])(?:\\\\)*)\\u0000/g;

/** JSON text with every `\u0000` escape replaced by `\ufffd` (JSON.stringify escapes NUL so). */
export function nulFreeJson(json: string): string {
  return json.includes("\\u0000") ? json.replace(ESCAPED_NUL, "\\ufffd") : json;
}
