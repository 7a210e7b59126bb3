import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import {
  AgentContextSchema,
  type Channel,
  ChatContextSchema,
  type Event,
  EventSchema,
  MobileContextSchema,
  SpeechContextSchema,
  UtmSchema,
  WebContextSchema,
} from "@analytics/schema";
import { sampleEvents } from "../../testing/sample_events.ts";
import { CopyBytes } from "./copy_bytes.ts";
import { eventCopyLine } from "./copy_text.ts";
import { EventRowWriter } from "./event_row_bytes.ts";

const ENCODER = new TextEncoder();

/** Asserts that the specialised writer gives the generic builder's bytes for every event. */
function assertSameBytes(events: Event[]): void {
  const generic = new CopyBytes(64);
  const specialised = new CopyBytes(64); // small, so both grow many times
  const writer = new EventRowWriter();
  for (const [i, event] of events.entries()) {
    generic.writeEvent(event);
    writer.write(specialised, event);
    // Row by row, so a difference names its event.
    const expected = generic.take();
    const actual = specialised.take();
    if (!bytesEqual(actual, expected)) {
      assert.equal(
        new TextDecoder().decode(actual),
        new TextDecoder().decode(expected),
        `event ${i}`,
      );
      assert.deepEqual(actual, expected, `event ${i}`);
    }
    assert.deepEqual(actual, ENCODER.encode(eventCopyLine(event)), `event ${i} (text form)`);
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Pieces of strings the COPY and JSON forms must escape or encode. */
const PIECES = [
  "a",
  "plain ascii text that is longer than thirty-two characters",
  "\0",
  "\\",
  "\t",
  "\n",
  "\r",
  "é",
  "中文",
  "😀",
  "\ud800",
  "\udc00",
  '"',
  "\\u0000",
  "\u0001",
  "https://example.com/p?q=1&r=2",
];

/** A seeded generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("EventRowWriter writes the generic builder's bytes for mutated sample events", () => {
  const next = random(3);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  /** "" a third of the time, else one to six pieces. */
  const str = (): string => {
    if (next() < 0.3) return "";
    let s = "";
    for (let n = 1 + Math.floor(next() * 6); n > 0; n--) s += pick(PIECES);
    return s;
  };
  const maybe = (s: string): string => next() < 0.5 ? str() : s;
  const number = (): number => pick([0, 1, -0.5, 12.25, 1e21, 3]);
  const events = sampleEvents(2_000, { seed: 19 });
  for (const e of events) {
    e.eventId = maybe(e.eventId);
    e.eventType = maybe(e.eventType);
    e.sessionId = maybe(e.sessionId);
    e.platform = maybe(e.platform);
    e.customChannel = maybe(e.customChannel);
    e.eventCategory = maybe(e.eventCategory);
    e.resourceId = maybe(e.resourceId);
    e.resourceTitle = maybe(e.resourceTitle);
    e.interactionTarget = maybe(e.interactionTarget);
    e.interactionText = maybe(e.interactionText);
    e.userId = maybe(e.userId);
    e.anonymousId = maybe(e.anonymousId);
    e.deviceId = maybe(e.deviceId);
    if (next() < 0.3) e.interactionValue = next() < 0.3 ? undefined : number();
    if (next() < 0.2) e.channel = pick([0, 1, 2, 3, 4, 5, 6, 99]) as Channel;
    if (next() < 0.3) e.properties = next() < 0.3 ? undefined : { [str()]: str(), n: [str(), 1] };
    if (e.client) {
      e.client.userAgent = maybe(e.client.userAgent);
      e.client.clientVersion = maybe(e.client.clientVersion);
      if (next() < 0.15) e.client = undefined;
    }
    if (e.enrichment) {
      const en = e.enrichment;
      en.source = maybe(en.source);
      en.ip = maybe(en.ip);
      en.traceId = maybe(en.traceId);
      if (en.userAgent) en.userAgent.browserName = maybe(en.userAgent.browserName);
      if (next() < 0.2) en.userAgent = undefined;
      if (next() < 0.2) en.correctedTime = undefined;
      if (next() < 0.2) en.isBot = !en.isBot;
      if (next() < 0.1) e.enrichment = undefined;
    }
    if (next() < 0.1) e.timestamp = undefined;
    if (next() < 0.2) e.sentAt = undefined;
    const c = e.context;
    if (c.case === "web") {
      c.value.path = maybe(c.value.path);
      c.value.url = maybe(c.value.url);
      c.value.referrer = maybe(c.value.referrer);
      if (c.value.utm) c.value.utm.campaign = maybe(c.value.utm.campaign);
      if (next() < 0.3) {
        c.value.utm = next() < 0.5 ? undefined : create(UtmSchema, { source: str(), term: str() });
      }
    } else if (c.case === "mobile") {
      c.value.screenName = maybe(c.value.screenName);
      c.value.osName = maybe(c.value.osName);
    } else if (c.case === "chat") {
      c.value.conversationId = maybe(c.value.conversationId);
      if (next() < 0.3) c.value.messageRole = pick([0, 1, 2, 3]);
      if (next() < 0.3) c.value.responseLatencyMs = number();
    } else if (c.case === "speech") {
      c.value.intent = maybe(c.value.intent);
      if (next() < 0.3) c.value.confidence = number();
      if (next() < 0.3) c.value.slots[str()] = str();
    } else if (c.case === "agent") {
      c.value.responseModel = maybe(c.value.responseModel);
      c.value.requestModel = maybe(c.value.requestModel);
      c.value.traceId = maybe(c.value.traceId);
      c.value.toolName = maybe(c.value.toolName);
      if (next() < 0.3) c.value.costUsd = number();
    }
    if (next() < 0.05) e.context = { case: undefined };
  }
  const cases = new Set(events.map((e) => e.context.case));
  assert.deepEqual(
    [...cases].sort(),
    ["agent", "chat", "mobile", "speech", "web", undefined].sort(),
  );
  assertSameBytes(events);
});

Deno.test("EventRowWriter writes the generic builder's bytes for hand-made edge cases", () => {
  const at = { seconds: 1_700_000_000n, nanos: 120_000_999 };
  const nul = "a\0b\\c\td\ne\rf 😀 \ud800";
  const events: Event[] = [
    create(EventSchema, {}), // every field absent or empty
    create(EventSchema, { eventId: nul, eventType: nul, sessionId: nul, interactionValue: 0 }),
    create(EventSchema, {
      timestamp: { seconds: 0n, nanos: 0 },
      sentAt: { seconds: -1n, nanos: 999_999_999 },
      enrichment: { receivedAt: { seconds: 1n, nanos: 1 }, isBot: false, traceId: "t" },
      interactionValue: Number.NaN,
      properties: { "\0": "\0", "\\u0000": ["\\\0", "\t\n"] },
    }),
    create(EventSchema, {
      timestamp: at,
      // Invalid nanos, as a message may still carry them.
      enrichment: { correctedTime: { seconds: 5n, nanos: -1_000 }, isBot: true },
      sentAt: { seconds: 5n, nanos: 2_000_000_000 },
    }),
    create(EventSchema, {
      channel: 1,
      context: {
        case: "web",
        value: create(WebContextSchema, { path: nul, utm: { content: nul, medium: "" } }),
      },
    }),
    create(EventSchema, {
      channel: 2,
      context: { case: "mobile", value: create(MobileContextSchema, { appVersion: nul }) },
    }),
    create(EventSchema, {
      channel: 3,
      context: {
        case: "chat",
        value: create(ChatContextSchema, {
          conversationId: nul,
          messageRole: 2,
          responseLatencyMs: 0.5,
        }),
      },
    }),
    create(EventSchema, {
      context: { case: "chat", value: create(ChatContextSchema, {}) },
    }),
    create(EventSchema, {
      channel: 4,
      context: {
        case: "speech",
        value: create(SpeechContextSchema, {
          intent: nul,
          confidence: 1,
          responseLatencyMs: Number.NaN,
          slots: { [nul]: nul },
        }),
      },
    }),
    create(EventSchema, {
      channel: 5,
      enrichment: { traceId: "from-ingest" },
      context: {
        case: "agent",
        value: create(AgentContextSchema, {
          requestModel: nul,
          inputTokens: 18_446_744_073_709_551_615n,
          costUsd: -0.5,
          durationMs: Number.NaN,
          timeToFirstTokenMs: -Infinity,
        }),
      },
    }),
    create(EventSchema, {
      enrichment: { traceId: "from-ingest" },
      context: {
        case: "agent",
        value: create(AgentContextSchema, {
          responseModel: "r",
          requestModel: "q",
          traceId: "own",
          conversationId: "c",
        }),
      },
    }),
  ];
  assertSameBytes(events);
});

Deno.test("EventRowWriter rows follow each other in one buffer", () => {
  const events = sampleEvents(50, { seed: 5 });
  const generic = new CopyBytes(16);
  const specialised = new CopyBytes(16);
  const writer = new EventRowWriter();
  for (const e of events) {
    generic.writeEvent(e);
    writer.write(specialised, e);
  }
  assert.deepEqual(specialised.take(), generic.take());
});
