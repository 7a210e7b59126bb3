import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { AgentContextSchema, EnrichmentSchema } from "@analytics/schema";
import { pageView } from "../../ingest/server/testdata/events.ts";
import { EVENT_COLUMNS, eventRow } from "./event_row.ts";

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
