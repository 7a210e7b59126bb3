/**
 * Validating a batch of realistic events: the ingest's validator (native checker, protovalidate
 * only for events it cannot vouch for) against protovalidate alone. Divide a figure by
 * `BATCH` for the time per event. Run: `deno bench ingest/validate/validate_event_bench.ts`.
 */
import { createValidator } from "@bufbuild/protovalidate";
import { sampleEvents } from "../../sinks/testing/sample_events.ts";
import { createEventValidator } from "./validate_event.ts";

const BATCH = 500;
const events = sampleEvents(BATCH);
const ingestValidator = createEventValidator();
const protovalidateOnly = createEventValidator(createValidator(), { nativeCheck: false });

function validateAll(validate: typeof ingestValidator): void {
  for (let i = 0; i < events.length; i++) {
    if (validate(events[i], i) !== null) throw new Error(`sample event ${i} is invalid`);
  }
}

Deno.bench(`protovalidate only, ${BATCH} events`, { group: "validate", baseline: true }, () => {
  validateAll(protovalidateOnly);
});

Deno.bench(`ingest validator, ${BATCH} events`, { group: "validate" }, () => {
  validateAll(ingestValidator);
});
