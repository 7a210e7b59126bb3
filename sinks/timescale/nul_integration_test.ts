import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { IGNORE_POSTGRES, openTestStore } from "./testing/test_targets.ts";
import { sampleEvents } from "../testing/sample_events.ts";

for (const kind of ["postgres", "pglite"] as const) {
  Deno.test({
    name: `${kind}: strings with NUL are stored (NUL → U+FFFD), not a batch failing forever`,
    ignore: kind === "postgres" && IGNORE_POSTGRES,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const [base, other] = sampleEvents(2, { seed: 5 });
        const withNul = create(EventSchema, {
          ...base,
          eventType: "click\0x",
          interactionText: "\0",
          properties: { "k\0": "v\0", nested: { list: ["\0\0"] } },
        });
        assert.equal(await store.loader.load([withNul, other]), 2);
        const [row] = await store.sql.query<{ event_type: string; interaction_text: string }>(
          "SELECT event_type, interaction_text FROM analytics_events WHERE event_id = $1",
          [withNul.eventId],
        );
        assert.equal(row.event_type, "click\uFFFDx");
        assert.equal(row.interaction_text, "\uFFFD");
        const [{ props }] = await store.sql.query<{ props: string }>(
          "SELECT metadata::text AS props FROM analytics_events WHERE event_id = $1",
          [withNul.eventId],
        );
        assert.deepEqual(JSON.parse(props), {
          "k\uFFFD": "v\uFFFD",
          nested: { list: ["\uFFFD\uFFFD"] },
        });
      } finally {
        await dispose();
      }
    },
  });
}
