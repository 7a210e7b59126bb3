import assert from "node:assert/strict";
import { DailyPartitions, partitionName } from "../load/partitions.ts";
import { IGNORE_POSTGRES, openTestStore } from "../testing/test_targets.ts";
import type { SqlClient } from "../sql/sql_client.ts";
import { dropExpiredPartitions } from "./drop_expired_partitions.ts";

const NOW = Date.parse("2026-11-28T09:30:00Z");

async function insertAt(sql: SqlClient, iso: string): Promise<void> {
  await sql.query(
    `INSERT INTO analytics_events (event_id, event_time, "timestamp", channel, event_type, session_id)
     VALUES (gen_random_uuid(), $1, $1, 'web', 'page_view', 's')`,
    [iso],
  );
}

async function partitions(sql: SqlClient): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'analytics_events' AND p.relnamespace = to_regnamespace(current_schema())
     ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

// PostgreSQL only: PGlite runs the same SQL (it is PostgreSQL), and starting it costs ~30 s here.
for (const kind of ["postgres"] as const) {
  Deno.test({
    name:
      `${kind}: retention drops whole daily partitions past HOT_RETENTION_DAYS, and old default rows`,
    ignore: kind === "postgres" && IGNORE_POSTGRES,
    async fn() {
      const { store, dispose } = await openTestStore(kind);
      try {
        const days = ["2026-10-01", "2026-10-28", "2026-10-29", "2026-11-28"];
        await new DailyPartitions(store.sql).ensure(days);
        for (const day of days) await insertAt(store.sql, `${day}T12:00:00Z`);
        // Rows no daily partition takes land in the default partition.
        await insertAt(store.sql, "2020-01-01T00:00:00Z");
        await insertAt(store.sql, "2027-06-01T00:00:00Z");

        // 0 keeps everything.
        assert.deepEqual(await dropExpiredPartitions(store.sql, 0, NOW), {
          dropped: [],
          defaultRowsDeleted: 0,
        });
        // 30 days before 2026-11-28 is 2026-10-29 00:00: days ending by then go.
        const run = await dropExpiredPartitions(store.sql, 30, NOW);
        assert.deepEqual(run.dropped, [partitionName("2026-10-01"), partitionName("2026-10-28")]);
        assert.equal(run.defaultRowsDeleted, 1);
        const left = await partitions(store.sql);
        assert.ok(!left.includes(partitionName("2026-10-28")));
        assert.ok(left.includes(partitionName("2026-10-29")));
        assert.ok(left.includes("analytics_events_default"));
        const rows = await store.sql.query<{ day: string }>(
          `SELECT to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
           FROM analytics_events ORDER BY 1`,
        );
        assert.deepEqual(rows.map((r) => r.day), ["2026-10-29", "2026-11-28", "2027-06-01"]);
        // A second run finds nothing more.
        assert.deepEqual(await dropExpiredPartitions(store.sql, 30, NOW), {
          dropped: [],
          defaultRowsDeleted: 0,
        });
      } finally {
        await dispose();
      }
    },
  });
}
