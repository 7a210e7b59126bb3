import assert from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Event } from "@analytics/schema";
import { sampleEvents } from "../../testing/sample_events.ts";
import type { HotStore } from "../open_hot_store.ts";
import { IGNORE_POSTGRES, openTestStore } from "../testing/test_targets.ts";
import { PostgresLoader } from "./postgres_loader.ts";

async function storedIds(store: HotStore): Promise<string[]> {
  const rows = await store.sql.query<{ id: string }>(
    "SELECT event_id::text AS id FROM analytics_events ORDER BY 1",
  );
  return rows.map((r) => r.id);
}

async function rollup(store: HotStore): Promise<string[]> {
  const rows = await store.sql.query<{ row: string }>(
    `SELECT concat_ws(' ', to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       channel, event_type, events) AS row
     FROM analytics_events_per_minute ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}

for (const kind of ["postgres", "pglite"] as const) {
  Deno.test({
    name: `${kind}: rows already stored, at a batch's start, end or twice within it, stored once`,
    ignore: kind === "postgres" && IGNORE_POSTGRES,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        // Large enough for several COPY chunks, so a refusal comes while rows are still sent
        // (the first row a duplicate) and after the last was sent (the last row a duplicate).
        const events = sampleEvents(4_000, { seed: 23 });
        const paths = store.loader instanceof PostgresLoader ? store.loader.paths : undefined;
        assert.equal(await store.loader.load(events.slice(1_000, 2_000)), 1_000);
        if (paths) assert.deepEqual(paths, { copied: 1, merged: 0 });
        assert.equal(await store.loader.load(events.slice(0, 1_001)), 1_000); // last one stored
        assert.equal(await store.loader.load(events.slice(1_999, 3_000)), 1_000); // first one
        assert.equal(await store.loader.load([...events.slice(3_000), events[3_000]]), 1_000);
        assert.equal(await store.loader.load(events), 0);
        if (paths) assert.deepEqual(paths, { copied: 1, merged: 4 });
        assert.deepEqual(await storedIds(store), events.map((e) => e.eventId).toSorted());
        const [{ total }] = await store.sql.query<{ total: number }>(
          "SELECT sum(events)::int AS total FROM analytics_events_per_minute",
        );
        assert.equal(total, 4_000);
        // The loader is usable after refused COPYs: a new batch goes the fast path again.
        const more = sampleEvents(10, { seed: 24 });
        assert.equal(await store.loader.load(more), 10);
        if (paths) assert.deepEqual(paths, { copied: 2, merged: 4 });
      } finally {
        await dispose();
      }
    },
  });
}

/** Events whose skew-corrected times sit on minute edges, before 1970 among them. */
function edgeEvents(): Event[] {
  const events = sampleEvents(600, { seed: 31 });
  const edges = [
    Date.UTC(2026, 10, 28, 10, 0, 59, 999),
    Date.UTC(2026, 10, 28, 10, 1, 0, 0),
    Date.UTC(1969, 11, 31, 23, 59, 30, 500),
    Date.UTC(1969, 11, 31, 23, 59, 0, 0),
  ];
  events.forEach((event, i) => {
    if (i % 5 !== 0) return;
    const corrected = timestampFromMs(edges[i % edges.length]);
    if (i % 2 === 0) corrected.nanos += 999_999; // 59.999999999 s: still the minute before
    event.enrichment!.correctedTime = corrected;
  });
  return events;
}

Deno.test({
  name: "postgres: the straight COPY's rollup is the one of the merge path, minute for minute",
  ignore: IGNORE_POSTGRES,
  fn: async () => {
    const copied = await openTestStore("postgres");
    const merged = await openTestStore("postgres");
    try {
      const events = edgeEvents();
      assert.equal(await copied.store.loader.load(events), events.length);
      // A duplicate within the batch refuses the straight COPY: the merge path loads it.
      assert.equal(await merged.store.loader.load([...events, events[7]]), events.length);
      assert.deepEqual((copied.store.loader as PostgresLoader).paths, { copied: 1, merged: 0 });
      assert.deepEqual((merged.store.loader as PostgresLoader).paths, { copied: 0, merged: 1 });
      const expected = await rollup(merged.store);
      assert.ok(expected.some((r) => r.startsWith("1969-12-31T23:59:00")));
      assert.deepEqual(await rollup(copied.store), expected);
    } finally {
      await copied.dispose();
      await merged.dispose();
    }
  },
});
