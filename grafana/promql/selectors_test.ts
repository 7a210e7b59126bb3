import assert from "node:assert/strict";
import { promqlUses } from "./selectors.ts";

Deno.test("promqlUses: metrics and grouping labels of an aggregated rate", () => {
  assert.deepEqual(
    promqlUses("sum by (channel) (rate(analytics_ingest_events_accepted_total[$__rate_interval]))"),
    { metrics: ["analytics_ingest_events_accepted_total"], labels: ["channel"] },
  );
});

Deno.test("promqlUses: histogram quantile, matchers, a ratio of two metrics", () => {
  assert.deepEqual(
    promqlUses(
      'histogram_quantile(0.95, sum by (le, sink) (rate(a_bucket{job="x", sink!~"d.*"}[5m])))',
    ),
    { metrics: ["a_bucket"], labels: ["le", "sink", "job"] },
  );
  assert.deepEqual(
    promqlUses("sum(rate(a_sum[1m])) / on (system) sum without (pod) (rate(a_count[1m])) > 0"),
    { metrics: ["a_sum", "a_count"], labels: ["system", "pod"] },
  );
});

Deno.test("promqlUses: a bare selector, offset, Grafana variables in windows", () => {
  assert.deepEqual(promqlUses("max by (sink, partition) (lag) offset 5m"), {
    metrics: ["lag"],
    labels: ["sink", "partition"],
  });
  assert.deepEqual(promqlUses("sum(increase(dead_total[$__range]))"), {
    metrics: ["dead_total"],
    labels: [],
  });
});

Deno.test("promqlUses: refuses a misspelt function and unbalanced brackets", () => {
  assert.throws(() => promqlUses("summ(rate(x[1m]))"), /unknown PromQL function summ/);
  assert.throws(() => promqlUses("sum(rate(x[1m])"), /unclosed/);
  assert.throws(() => promqlUses("sum(x]"), /unbalanced/);
});
