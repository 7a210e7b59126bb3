/**
 * COPY rows of sample events, generic column list against the specialised writer, in one run:
 * `deno bench -A sinks/timescale/load/event_row_bytes_bench.ts` (each iteration is 1,000 rows, so
 * the time per iteration in ms is µs per row).
 */
import { sampleEvents } from "../../testing/sample_events.ts";
import { CopyBytes } from "./copy_bytes.ts";
import { EventRowWriter } from "./event_row_bytes.ts";

const EVENTS = sampleEvents(1_000, { seed: 23 });
const generic = new CopyBytes();
const specialised = new CopyBytes();
const writer = new EventRowWriter();

Deno.bench("generic EVENT_COLUMNS rows (1,000)", { group: "copy rows", baseline: true }, () => {
  for (const event of EVENTS) generic.writeEvent(event);
  generic.take();
});

Deno.bench("specialised EventRowWriter rows (1,000)", { group: "copy rows" }, () => {
  for (const event of EVENTS) writer.write(specialised, event);
  specialised.take();
});
