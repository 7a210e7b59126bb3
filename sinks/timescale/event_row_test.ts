import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { AgentContextSchema, EnrichmentSchema } from "@analytics/schema";
import { pageView } from "../../ingest/server/testdata/events.ts";
import { EVENT_COLUMNS, eventDays, eventRow } from "./event_row.ts";

const traceColumn = EVENT_COLUMNS.findIndex((c) => c.name === "trace_id");
const PIPELINE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT = "0af7651916cd43dd8448eb211c80319c";

Deno.test("trace_id: the client's trace when it sent one, else the trace the ingest published in", () => {
  const event = pageView();
  assert.equal(eventRow(event)[traceColumn], null);
  event.enrichment = create(EnrichmentSchema, { source: "site", traceId: PIPELINE });
  assert.equal(eventRow(event)[traceColumn], PIPELINE);
  event.context = { case: "agent", value: create(AgentContextSchema, { traceId: CLIENT }) };
  assert.equal(eventRow(event)[traceColumn], CLIENT);
});

Deno.test("eventDays: the distinct UTC days of the events' timestamps", () => {
  const [a, b, c, d] = [pageView(), pageView(), pageView(), pageView()];
  a.timestamp = timestampFromMs(Date.UTC(2026, 10, 28, 0, 0, 0));
  b.timestamp = timestampFromMs(Date.UTC(2026, 10, 28, 23, 59, 59, 999));
  c.timestamp = timestampFromMs(Date.UTC(2026, 10, 29, 0, 0, 0, 1));
  d.timestamp = timestampFromMs(Date.UTC(1969, 11, 31, 23, 0, 0));
  const none = pageView();
  none.timestamp = undefined;
  assert.deepEqual(
    [...eventDays([a, b, c, d, none])].toSorted(),
    ["1969-12-31", "2026-11-28", "2026-11-29"],
  );
});
