import assert from "node:assert/strict";
import { rejectionReason } from "./ingest_metrics.ts";

Deno.test("rejectionReason drops the event index and list indices, keeping the field path", () => {
  assert.equal(rejectionReason("events[3].event_id"), "event_id");
  assert.equal(rejectionReason("events[0].web.page_url"), "web.page_url");
  assert.equal(rejectionReason("events[12].properties[4].key"), "properties[].key");
  assert.equal(rejectionReason("events[7]"), "event");
});
