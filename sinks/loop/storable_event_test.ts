import assert from "node:assert/strict";
import { sampleEvents } from "../testing/sample_events.ts";
import { unstorableReason } from "./storable_event.ts";

Deno.test("unstorableReason passes the events the ingest publishes", () => {
  for (const event of sampleEvents(200)) assert.equal(unstorableReason(event), undefined);
});

Deno.test("unstorableReason names the field a store cannot take", () => {
  const cases: [string, (e: ReturnType<typeof sampleEvents>[number]) => void][] = [
    ["event_id", (e) => (e.eventId = "not-a-uuid")],
    ["event_id", (e) => (e.eventId = "")],
    ["timestamp", (e) => (e.timestamp = undefined)],
    ["timestamp", (e) => (e.timestamp!.seconds = 0n)],
    ["timestamp", (e) => (e.timestamp!.seconds = 300_000_000_000n)],
    ["timestamp", (e) => (e.timestamp!.nanos = 1_000_000_000)],
    ["sent_at", (e) => (e.sentAt = { ...e.timestamp!, seconds: -70_000_000_000n })],
    ["event_type", (e) => (e.eventType = "")],
    ["session_id", (e) => (e.sessionId = "")],
    ["interaction_value", (e) => (e.interactionValue = Number.NaN)],
    ["interaction_value", (e) => (e.interactionValue = Number.POSITIVE_INFINITY)],
  ];
  for (const [field, breakIt] of cases) {
    const [event] = sampleEvents(1);
    breakIt(event);
    assert.match(unstorableReason(event) ?? "", new RegExp(`^${field}: `), field);
  }
});
