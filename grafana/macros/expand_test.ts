/**
 * Golden cases from Grafana's PostgreSQL macro engine tests (grafana/grafana
 * pkg/tsdb/grafana-postgresql-datasource/macros_test.go) and its documentation's macro table,
 * with `timescaledb` off and on.
 */
import assert from "node:assert/strict";
import { expandMacros, type MacroContext, MacroError } from "./expand.ts";

const FROM = new Date(Date.UTC(2018, 3, 12, 18, 0, 0));
const TO = new Date(FROM.getTime() + 5 * 60_000);
const plain: MacroContext = { from: FROM, to: TO, intervalMs: 60_000, timescaledb: false };
const timescale: MacroContext = { ...plain, timescaledb: true };

/** [input, expected] with timescaledb off, from Grafana's macro tests (2018-04-12 18:00-18:05). */
const SOURCE_GOLDEN: [string, string][] = [
  ["select $__time(time_column)", `select time_column AS "time"`],
  ["select min($__time(time_column))", `select min(time_column AS "time")`],
  [
    "WHERE $__timeFilter(time_column)",
    "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'",
  ],
  ["select $__timeFrom()", "select '2018-04-12T18:00:00Z'"],
  ["select $__timeTo()", "select '2018-04-12T18:05:00Z'"],
  [
    "SELECT $__timeGroup(time_column,'5m'), value",
    `SELECT floor(extract(epoch from time_column)/300)*300 AS "time", value`,
  ],
  [
    "SELECT $__timeGroup(time_column,'5m') as time, value",
    "SELECT floor(extract(epoch from time_column)/300)*300 as time, value",
  ],
  [
    "SELECT $__timeGroup(time_column,'5m')",
    "SELECT floor(extract(epoch from time_column)/300)*300",
  ],
  [
    "SELECT $__timeGroupAlias(time_column,'5m')",
    `SELECT floor(extract(epoch from time_column)/300)*300 AS "time"`,
  ],
  ["$__timeGroup(time_column , '5m')", "floor(extract(epoch from time_column)/300)*300"],
  [
    "$__timeGroupAlias(time_column , '5m')",
    `floor(extract(epoch from time_column)/300)*300 AS "time"`,
  ],
  ["select $__unixEpochFilter(time)", "select time >= 1523556000 AND time <= 1523556300"],
  [
    "select $__unixEpochNanoFilter(time)",
    "select time >= 1523556000000000000 AND time <= 1523556300000000000",
  ],
  ["select $__unixEpochNanoFrom()", "select 1523556000000000000"],
  ["select $__unixEpochNanoTo()", "select 1523556300000000000"],
  [
    "SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')",
    "SELECT floor((time_column+time_adjustment)/300)*300",
  ],
  [
    "SELECT $__unixEpochGroupAlias(time_column+time_adjustment,'5m')",
    `SELECT floor((time_column+time_adjustment)/300)*300 AS "time"`,
  ],
];

/** With timescaledb on, from the same tests. */
const TIMESCALE_GOLDEN: [string, string][] = [
  ["GROUP BY $__timeGroup(time_column,'5m')", "GROUP BY time_bucket('300.000s',time_column)"],
  ["GROUP BY $__timeGroup(time_column , '5m')", "GROUP BY time_bucket('300.000s',time_column)"],
  [
    "GROUP BY $__timeGroup(time_column , '12d')",
    "GROUP BY time_bucket('1036800.000s',time_column)",
  ],
  ["GROUP BY $__timeGroup(time_column , '20ms')", "GROUP BY time_bucket('0.020s',time_column)"],
  [
    "SELECT $__timeGroupAlias(time_column,'5m')",
    `SELECT time_bucket('300.000s',time_column) AS "time"`,
  ],
  // Only $__timeGroup depends on the setting.
  [
    "WHERE $__timeFilter(time_column)",
    "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'",
  ],
];

Deno.test("macros: Grafana's own golden cases, timescaledb off", () => {
  for (const [input, expected] of SOURCE_GOLDEN) {
    assert.equal(expandMacros(input, plain), expected, input);
  }
});

Deno.test("macros: Grafana's own golden cases, timescaledb on", () => {
  for (const [input, expected] of TIMESCALE_GOLDEN) {
    assert.equal(expandMacros(input, timescale), expected, input);
  }
});

Deno.test("macros: the documentation's examples (2017-04-21 05:01:17 to 05:06:17 UTC)", () => {
  const docs: MacroContext = {
    from: new Date("2017-04-21T05:01:17Z"),
    to: new Date("2017-04-21T05:06:17Z"),
    intervalMs: 300_000,
    timescaledb: false,
  };
  assert.equal(expandMacros("$__time(dateColumn)", docs), `dateColumn AS "time"`);
  assert.equal(
    expandMacros("$__timeEpoch(dateColumn)", docs),
    `extract(epoch from dateColumn) as "time"`,
  );
  assert.equal(
    expandMacros("$__timeFilter(dateColumn)", docs),
    "dateColumn BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z'",
  );
  assert.equal(expandMacros("$__timeFrom()", docs), "'2017-04-21T05:01:17Z'");
  assert.equal(expandMacros("$__timeTo()", docs), "'2017-04-21T05:06:17Z'");
  for (const fill of ["0", "NULL", "previous"]) {
    assert.equal(
      expandMacros(`$__timeGroup(dateColumn,'5m', ${fill})`, docs),
      "floor(extract(epoch from dateColumn)/300)*300",
    );
  }
  assert.equal(
    expandMacros("$__timeGroup(dateColumn,'5m')", { ...docs, timescaledb: true }),
    "time_bucket('300.000s',dateColumn)",
  );
  // The documentation writes `>`/`<`; Grafana's source (followed here) writes `>=`/`<=`.
  assert.equal(
    expandMacros("$__unixEpochFilter(dateColumn)", docs),
    "dateColumn >= 1492750877 AND dateColumn <= 1492751177",
  );
  assert.equal(expandMacros("$__unixEpochFrom()", docs), "1492750877");
  assert.equal(expandMacros("$__unixEpochTo()", docs), "1492751177");
  assert.equal(expandMacros("$__unixEpochNanoFrom()", docs), "1492750877000000000");
  assert.equal(expandMacros("$__interval / $__interval_ms", docs), "5m / 300000");
});

Deno.test("macros: times before 1970 and fractions of a second, as Go formats them", () => {
  const old: MacroContext = {
    from: new Date(Date.UTC(1960, 1, 1, 7, 0, 0, 500)),
    to: new Date(Date.UTC(1980, 1, 3, 8, 0, 0, 500)),
    intervalMs: 1000,
    timescaledb: false,
  };
  assert.equal(
    expandMacros("WHERE $__timeFilter(time_column)", old),
    "WHERE time_column BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z'",
  );
  assert.equal(
    expandMacros("select $__unixEpochFilter(time)", old),
    // `date -u -d 1960-02-01T07:00:00 +%s` is -312915600; Go's Unix() drops the positive .5.
    "select time >= -312915600 AND time <= 318412800",
  );
  assert.equal(
    expandMacros("select $__unixEpochNanoFilter(time)", old),
    "select time >= -312915599500000000 AND time <= 318412800500000000",
  );
});

Deno.test("macros: $__interval comes first, so it can be a $__timeGroup argument", () => {
  const sql = `SELECT $__timeGroupAlias("timestamp", $__interval), count(*) AS value`;
  assert.equal(
    expandMacros(sql, { ...plain, intervalMs: 86_400_000 }),
    `SELECT floor(extract(epoch from "timestamp")/86400)*86400 AS "time", count(*) AS value`,
  );
  assert.equal(
    expandMacros(sql, { ...plain, intervalMs: 12 * 86_400_000 }),
    `SELECT floor(extract(epoch from "timestamp")/1.0368e+06)*1.0368e+06 AS "time", count(*) AS value`,
  );
  assert.equal(
    expandMacros(sql, { ...timescale, intervalMs: 20 }),
    `SELECT time_bucket('0.020s',"timestamp") AS "time", count(*) AS value`,
  );
});

Deno.test("macros: Grafana's errors", () => {
  assert.throws(() => expandMacros("$__unknown(x)", plain), MacroError);
  assert.throws(() => expandMacros("$__timeGroup(x)", plain), /needs time column and interval/);
  assert.throws(() => expandMacros("$__timeGroup(x, 'soon')", plain), /error parsing interval/);
  assert.throws(() => expandMacros("$__timeGroup(x, '5m', maybe)", plain), /fill value maybe/);
  assert.throws(() => expandMacros("$__timeGroup(x, '1M')", plain), /error parsing interval/);
});
