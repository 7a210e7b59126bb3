import assert from "node:assert/strict";
import { sampleEvents } from "../../testing/sample_events.ts";
import { EVENT_COLUMNS, eventRow } from "../event_row.ts";
import { copyValue, eventCopyLine } from "./copy_text.ts";

/** Reverses COPY text escaping of one field (`\N` is NULL). */
function unescape(field: string): string | null {
  if (field === "\\N") return null;
  return field.replace(/\\(.)/g, (_, c) => ({ t: "\t", n: "\n", r: "\r" })[c as "t"] ?? c);
}

Deno.test("copyValue escapes what COPY text format needs escaped", () => {
  assert.equal(copyValue(null), "\\N");
  assert.equal(copyValue(true), "t");
  assert.equal(copyValue(false), "f");
  assert.equal(copyValue(1.5), "1.5");
  assert.equal(copyValue("plain"), "plain");
  assert.equal(copyValue("a\\b\tc\nd\re"), "a\\\\b\\tc\\nd\\re");
});

Deno.test("eventCopyLine is the event's row, one escaped field per column", () => {
  const events = sampleEvents(300, { seed: 11 });
  events[0].interactionText = "line one\nline two\twith tab and \\ backslash";
  for (const event of events) {
    const line = eventCopyLine(event);
    assert.ok(line.endsWith("\n"));
    const fields = line.slice(0, -1).split("\t");
    assert.equal(fields.length, EVENT_COLUMNS.length);
    const expected = eventRow(event).map((v) =>
      v === null ? null : String(v === true ? "t" : v === false ? "f" : v)
    );
    assert.deepEqual(fields.map(unescape), expected);
  }
});
