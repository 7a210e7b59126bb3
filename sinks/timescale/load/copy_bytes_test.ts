import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { AgentContextSchema, EventSchema } from "@analytics/schema";
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
  'quote " and \u0001 control, "\\u0000" as text',
  "",
];

Deno.test("CopyBytes writes the UTF-8 bytes of eventCopyLine, row after row", () => {
  const events = sampleEvents(300, { seed: 11 });
  events.forEach((event, i) => {
    const text = TRICKY[i % TRICKY.length];
    if (i % 3 === 0) event.interactionText = text;
    if (i % 3 === 1) event.eventCategory = text;
    if (i % 5 === 0) event.properties = { [text]: text, nested: { list: [text, 1.5, true] } };
    // The JSON columns written straight from the messages: strings JSON and COPY must escape.
    if (i % 4 === 0 && event.client) event.client.userAgent = text;
    if (i % 4 === 1 && event.enrichment) event.enrichment.source = text;
    if (i % 4 === 2 && event.context.case === "web") event.context.value.path = text;
    if (i % 4 === 3 && event.context.case === "speech") event.context.value.slots[text] = text;
    if (i % 7 === 0) event.client = undefined;
    if (i % 11 === 0) event.context = { case: undefined };
  });
  events.push(create(EventSchema, {
    eventId: "0192f5e4-8a1b-7cc0-9c1e-5f3a2b1c0d9e",
    eventType: "edge",
    sessionId: "s",
    timestamp: { seconds: 1_700_000_000n, nanos: 120_000_000 },
    context: {
      case: "agent",
      value: create(AgentContextSchema, {
        inputTokens: 18_446_744_073_709_551_615n,
        costUsd: -0.5,
        durationMs: Number.NaN,
        timeToFirstTokenMs: -Infinity,
      }),
    },
    enrichment: { receivedAt: { seconds: 1n, nanos: 1 }, isBot: true },
  }));
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
