import assert from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { migrate } from "./migrate.ts";
import { partitionName } from "./load/partitions.ts";
import { IGNORE_POSTGRES, openTestStore } from "./testing/test_targets.ts";
import { sampleEvents } from "../testing/sample_events.ts";

for (const kind of ["postgres", "pglite"] as const) {
  const ignore = kind === "postgres" && IGNORE_POSTGRES;

  Deno.test({
    name: `${kind}: migrations apply once; applying again changes nothing`,
    ignore,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        assert.deepEqual(await migrate(store.sql), []);
        assert.deepEqual(await migrate(store.sql), []);
        const rows = await store.sql.query<{ version: number }>(
          "SELECT version FROM schema_migrations ORDER BY version",
        );
        assert.deepEqual(rows.map((r) => Number(r.version)), [1, 2, 3]);
      } finally {
        await dispose();
      }
    },
  });

  Deno.test({
    name: `${kind}: a batch loaded twice is stored once; the README queries run unchanged`,
    ignore,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const events = sampleEvents(300, { seed: 11 });
        assert.equal(await store.loader.load(events), 300);
        assert.equal(await store.loader.load(events), 0);
        assert.equal(await store.loader.load([...events.slice(0, 5), ...events.slice(0, 5)]), 0);
        const [{ n }] = await store.sql.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM analytics_events",
        );
        assert.equal(n, 300);
        const [{ total }] = await store.sql.query<{ total: number }>(
          "SELECT sum(events)::int AS total FROM analytics_events_per_minute",
        );
        assert.equal(total, 300);

        const latest = await store.sql.query(
          "SELECT * FROM analytics_events ORDER BY timestamp DESC LIMIT 10;",
        );
        assert.equal(latest.length, 10);
        const byType = await store.sql.query<{ event_type: string; count: string | number }>(
          "SELECT event_type, COUNT(*) FROM analytics_events GROUP BY event_type;",
        );
        const expected = new Map<string, number>();
        for (const e of events) expected.set(e.eventType, (expected.get(e.eventType) ?? 0) + 1);
        assert.deepEqual(
          new Map(byType.map((r) => [r.event_type, Number(r.count)])),
          expected,
        );
      } finally {
        await dispose();
      }
    },
  });

  Deno.test({
    name: `${kind}: partitions are created for far past and future days`,
    ignore,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const [past, future] = sampleEvents(2, { seed: 3 });
        past.timestamp = timestampFromMs(Date.UTC(2001, 0, 1, 12));
        future.timestamp = timestampFromMs(Date.UTC(2090, 5, 30, 23, 59));
        assert.equal(await store.loader.load([past, future]), 2);
        const rows = await store.sql.query<{ part: string; event_id: string }>(
          "SELECT tableoid::regclass::text AS part, event_id::text FROM analytics_events",
        );
        const parts = new Map(rows.map((r) => [r.event_id, r.part.replace(/^.*\./, "")]));
        assert.equal(parts.get(past.eventId), partitionName("2001-01-01"));
        assert.equal(parts.get(future.eventId), partitionName("2090-06-30"));
      } finally {
        await dispose();
      }
    },
  });

  Deno.test({
    name: `${kind}: time_bucket matches TimescaleDB's buckets`,
    ignore,
    fn: async () => {
      const { store, dispose } = await openTestStore(kind);
      try {
        const cases: [string, string, string][] = [
          // Origin 2000-01-03 (a Monday) for intervals without months.
          ["1 week", "2024-05-15 10:00:00+00", "2024-05-13 00:00:00+00"],
          ["1 day", "2024-05-15 10:00:00+00", "2024-05-15 00:00:00+00"],
          ["3 days", "2000-01-05 00:00:00+00", "2000-01-03 00:00:00+00"],
          ["3 days", "2000-01-02 23:00:00+00", "1999-12-31 00:00:00+00"],
          ["5 minutes", "2024-05-15 10:07:31.5+00", "2024-05-15 10:05:00+00"],
          ["90 seconds", "2000-01-03 00:02:59+00", "2000-01-03 00:01:30+00"],
          ["1 hour", "1999-12-31 23:30:00+00", "1999-12-31 23:00:00+00"],
          // Month intervals are aligned to 2000-01-01.
          ["1 month", "2024-05-15 10:00:00+00", "2024-05-01 00:00:00+00"],
          ["3 months", "2024-05-15 10:00:00+00", "2024-04-01 00:00:00+00"],
          ["1 year", "2024-05-15 10:00:00+00", "2024-01-01 00:00:00+00"],
          ["2 months", "1999-12-15 00:00:00+00", "1999-11-01 00:00:00+00"],
        ];
        for (const [width, ts, expected] of cases) {
          const [{ same, got }] = await store.sql.query<{ same: boolean; got: string }>(
            `SELECT time_bucket($1::interval, $2::timestamptz) = $3::timestamptz AS same,
                    time_bucket($1::interval, $2::timestamptz)::text AS got`,
            [width, ts, expected],
          );
          assert.ok(same, `time_bucket('${width}', '${ts}') = ${got}, expected ${expected}`);
        }
        await assert.rejects(
          store.sql.query("SELECT time_bucket('1 month 2 days', now())"),
          /month intervals cannot have day or time component/,
        );
      } finally {
        await dispose();
      }
    },
  });
}
