import assert from "node:assert/strict";
import postgres from "postgres";
import { sampleEvents } from "../../testing/sample_events.ts";
import { IGNORE_POSTGRES, openTestStore } from "../testing/test_targets.ts";
import { copyEvents, IN_FAILED_TRANSACTION } from "./copy_into.ts";

Deno.test({
  name: "postgres: a COPY refused before or after its last rows were sent never hangs the load",
  ignore: IGNORE_POSTGRES,
  fn: async () => {
    const { url, dispose } = await openTestStore("postgres");
    const sql = postgres(url!, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`CREATE TABLE checked (LIKE analytics_events,
        CHECK (event_type <> 'refused'))`);
      const events = sampleEvents(3_000, { seed: 41 });
      for (const at of [0, 1_500, 2_999]) {
        const batch = events.map((e, i) => i === at ? { ...e, eventType: "refused" } : e);
        const error = await sql.begin(async (tx) => {
          await copyEvents(tx, "checked", batch);
          await tx.unsafe("SELECT 1");
        }).then(() => undefined, (e: { code?: string }) => e);
        // The server's own error when it came while rows were still sent, else 25P02 from the
        // statement after the COPY: either way the load ends, and nothing was stored.
        assert.ok(
          error?.code === "23514" || error?.code === IN_FAILED_TRANSACTION,
          `row ${at}: ${error?.code}`,
        );
      }
      const [{ n }] = await sql.unsafe("SELECT count(*)::int AS n FROM checked");
      assert.equal(n, 0);
      // The connection is still usable, and a valid COPY completes.
      await sql.begin(async (tx) => {
        await copyEvents(tx, "checked", events);
        await tx.unsafe("SELECT 1");
      });
      const [{ m }] = await sql.unsafe("SELECT count(*)::int AS m FROM checked");
      assert.equal(m, 3_000);
    } finally {
      await sql.end({ timeout: 2 });
      await dispose();
    }
  },
});
