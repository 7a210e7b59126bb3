/**
 * Runs every dashboard panel's SQL (the PromQL panels are checked by metric_names_test.ts), its Grafana macros expanded as Grafana does, against a real
 * PostgreSQL hot store (fresh schema, the sink's migrations and loader; no TimescaleDB, so the
 * migrations' fallback `time_bucket` serves `timescaledb: true`) seeded with events of every
 * channel. Each query must succeed, return the columns its panel reads, and return rows.
 */
import assert from "node:assert/strict";
import { DASHBOARDS, sqlPanelsOf } from "./definitions/mod.ts";
import type { SqlPanelSpec } from "./definitions/panel_spec.ts";
import { renderDashboards } from "./generate.ts";
import { expandMacros, type MacroContext } from "./macros/mod.ts";
import { IGNORE_POSTGRES, openTestStore } from "../sinks/timescale/testing/test_targets.ts";
import type { SqlClient } from "../sinks/timescale/sql/sql_client.ts";
import { sampleEvents } from "../sinks/testing/sample_events.ts";

const EVENTS = 4_000;
/** Generator clock step (read about three times per event): the events cover most of an hour. */
const STEP_MS = 750;
const CHANNELS = ["web", "mobile", "chat", "speech", "agent"];

/** A panel's SQL as it ships in the generated JSON, keyed by dashboard uid and panel title. */
function shippedQueries(): Map<string, { format: string; rawSql: string }> {
  const queries = new Map<string, { format: string; rawSql: string }>();
  for (const text of renderDashboards().values()) {
    const json = JSON.parse(text);
    for (const panel of json.panels) {
      if (panel.type === "row") continue;
      const [target] = panel.targets;
      queries.set(`${json.uid}/${panel.title}`, target);
    }
  }
  return queries;
}

type Row = Record<string, unknown>;

const isNumeric = (value: unknown) =>
  typeof value === "number" || typeof value === "bigint" ||
  (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)));

/** Epoch milliseconds of a `time` value: a timestamptz (Date) or epoch seconds (number/text). */
function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (isNumeric(value)) return Number(value) * 1000;
  throw new Error(`not a time: ${String(value)}`);
}

/** Checks one panel's result: its columns, rows, and value types. */
function checkResult(name: string, panel: SqlPanelSpec, rows: Row[]): void {
  assert.ok(rows.length > 0, `${name}: no rows`);
  const columns = Object.keys(rows[0]);
  for (const column of panel.columns) {
    assert.ok(columns.includes(column), `${name}: no column ${column} (got ${columns})`);
  }
  if (panel.format === "time_series") {
    assert.ok(columns.includes("time"), `${name}: a time series needs a time column`);
    for (const row of rows) assert.ok(Number.isFinite(timeMs(row.time)), `${name}: bad time`);
    const values = panel.columns.filter((c) => c !== "time" && c !== "metric");
    assert.ok(values.length > 0, `${name}: no value column`);
    for (const column of values) {
      assert.ok(
        rows.some((row) => isNumeric(row[column])),
        `${name}: column ${column} has no numeric value`,
      );
    }
  }
}

async function eventRange(sql: SqlClient): Promise<{ from: Date; to: Date }> {
  const [range] = await sql.query<{ first: Date; last: Date }>(
    `SELECT min("timestamp") AS first, max("timestamp") AS last FROM analytics_events`,
  );
  // A range a minute wider than the events, as a dashboard's "last hour" would be.
  return {
    from: new Date(new Date(range.first).getTime() - 60_000),
    to: new Date(new Date(range.last).getTime() + 60_000),
  };
}

Deno.test({
  name: "every panel's SQL, macros expanded, runs on the seeded hot store with rows",
  ignore: IGNORE_POSTGRES,
  fn: async () => {
    const { store, dispose } = await openTestStore("postgres");
    try {
      // Events spread over the last hour (the generator's clock steps on every reading).
      let clock = Date.now() - 3_600_000;
      const events = sampleEvents(EVENTS, { seed: 5, now: () => (clock += STEP_MS) });
      assert.equal(await store.loader.load(events), EVENTS);
      const channels = await store.sql.query<{ channel: string }>(
        "SELECT DISTINCT channel FROM analytics_events ORDER BY 1",
      );
      assert.deepEqual(channels.map((r) => r.channel), [...CHANNELS].sort());
      const { from, to } = await eventRange(store.sql);

      const shipped = shippedQueries();
      let checked = 0;
      for (const spec of DASHBOARDS) {
        for (const { panel } of sqlPanelsOf(spec)) {
          const name = `${spec.uid}/${panel.title}`;
          const target = shipped.get(name);
          assert.ok(target, `${name}: not in the generated JSON`);
          assert.equal(target.rawSql, panel.sql);
          assert.equal(target.format, panel.format);
          const results: Row[][] = [];
          for (const timescaledb of [true, false]) {
            const context: MacroContext = { from, to, intervalMs: 60_000, timescaledb };
            const sql = expandMacros(target.rawSql, context);
            assert.doesNotMatch(sql, /\$__/, `${name}: unexpanded macro`);
            let rows: Row[];
            try {
              rows = await store.sql.query(sql);
            } catch (error) {
              throw new Error(`${name} (timescaledb ${timescaledb}) failed:\n${sql}`, {
                cause: error,
              });
            }
            checkResult(`${name} (timescaledb ${timescaledb})`, panel, rows);
            results.push(rows);
          }
          if (panel.format === "time_series") {
            // time_bucket (the fallback) and Grafana's floor(epoch) arithmetic agree on buckets.
            const normalise = (rows: Row[]) =>
              rows.map((row) => ({ ...row, time: timeMs(row.time) }));
            assert.deepEqual(normalise(results[0]), normalise(results[1]), name);
          }
          checked++;
        }
      }
      assert.equal(checked, DASHBOARDS.reduce((n, d) => n + sqlPanelsOf(d).length, 0));
    } finally {
      await dispose();
    }
  },
});
