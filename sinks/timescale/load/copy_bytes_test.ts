import assert from "node:assert/strict";
import { sampleEvents } from "../../testing/sample_events.ts";
import { CopyBytes } from "./copy_bytes.ts";
import { eventCopyLine } from "./copy_text.ts";

const TRICKY = [
  "line one\nline two\twith tab and \\ backslash\r",
  "ascii only, but longer than the native threshold of thirty-two",
  "ünïcödé, 中文, emoji 😀 and a long tail to pass the native threshold",
  "escapes \\ and non-ASCII é in a value longer than thirty-two units",
  "lone surrogates \ud800 x \udc00 y \ud83d",
  "é\t😀",
  "\0 NUL",
  "",
];

Deno.test("CopyBytes writes the UTF-8 bytes of eventCopyLine, row after row", () => {
  const events = sampleEvents(300, { seed: 11 });
  events.forEach((event, i) => {
    const text = TRICKY[i % TRICKY.length];
    if (i % 3 === 0) event.interactionText = text;
    if (i % 3 === 1) event.eventCategory = text;
    if (i % 5 === 0) event.properties = { [text]: text, nested: { list: [text, 1.5, true] } };
  });
  const bytes = new CopyBytes(64); // small, so it grows many times
  let expected = "";
  for (const event of events) {
    bytes.writeEvent(event);
    expected += eventCopyLine(event);
  }
  assert.deepEqual(bytes.take(), new TextEncoder().encode(expected));
  assert.equal(bytes.length, 0);
  bytes.writeEvent(events[0]);
  assert.deepEqual(bytes.take(), new TextEncoder().encode(eventCopyLine(events[0])));
});
