import assert from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { createEventSource } from "./source.ts";

Deno.test("createEventSource: interleaves sessions of every channel", () => {
  const events = createEventSource({ seed: 1 }).batch(2_000);
  const channels = new Set(events.map((e) => e.channel));
  assert.deepEqual(
    [...channels].sort(),
    [Channel.WEB, Channel.MOBILE, Channel.CHAT, Channel.SPEECH, Channel.AGENT].sort(),
  );
  const sessions = new Set(events.map((e) => e.sessionId));
  assert.ok(sessions.size > 64, "sessions end and new ones start");
  // Interleaved: consecutive events mostly come from different sessions.
  let switches = 0;
  for (let i = 1; i < events.length; i++) {
    if (events[i].sessionId !== events[i - 1].sessionId) switches++;
  }
  assert.ok(switches > events.length / 2);
});

Deno.test("createEventSource: only the chosen channels", () => {
  const events = createEventSource({ seed: 2, channels: ["chat", "agent"] }).batch(500);
  assert.ok(events.every((e) => e.channel === Channel.CHAT || e.channel === Channel.AGENT));
});

Deno.test("createEventSource: a seed replays the same traffic", () => {
  const clock = () => 1_750_000_000_000;
  const shape = (seed: number) =>
    createEventSource({ seed, now: clock }).batch(300).map((e) =>
      [e.sessionId, e.eventType, e.interactionTarget].join("|")
    );
  assert.deepEqual(shape(42), shape(42));
  assert.notDeepEqual(shape(42), shape(43));
});
