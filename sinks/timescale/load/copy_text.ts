/** PostgreSQL COPY text format: one line per row, tab-separated, `\N` for NULL. */
import type { Event } from "@analytics/schema";
import { type ColumnValue, EVENT_COLUMNS } from "../event_row.ts";

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY text form. */
export function copyValue(value: ColumnValue): string {
  if (value === null) return "\\N";
  if (typeof value === "string") {
    // Most values need no escape: test first, replace only those that do.
    return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : value;
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  return String(value);
}

/** The row of `event` in COPY text form, with its newline, without an intermediate array. */
export function eventCopyLine(event: Event): string {
  let line = copyValue(EVENT_COLUMNS[0].value(event));
  for (let i = 1; i < EVENT_COLUMNS.length; i++) {
    line += "\t" + copyValue(EVENT_COLUMNS[i].value(event));
  }
  return line + "\n";
}
