/** PostgreSQL COPY text format: one line per row, tab-separated, `\N` for NULL. */
import type { ColumnValue } from "../event_row.ts";

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

/** One value in COPY text form. */
export function copyValue(value: ColumnValue): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

/** One row in COPY text form, with its newline. */
export function copyLine(row: ColumnValue[]): string {
  return row.map(copyValue).join("\t") + "\n";
}
