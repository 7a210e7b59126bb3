import assert from "node:assert/strict";
import { eventSizeViolation } from "./event_size.ts";

Deno.test("an event at the limit passes; one byte over is rejected naming the limit", () => {
  assert.equal(eventSizeViolation(65_536, 65_536, 3), null);
  assert.deepEqual(eventSizeViolation(65_537, 65_536, 3), {
    field: "events[3]",
    reason: "encoded event is 65537 bytes, more than the limit of 65536 (INGEST_MAX_EVENT_BYTES)",
  });
});
