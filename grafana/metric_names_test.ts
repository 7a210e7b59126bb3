/**
 * The PromQL panels read only metrics the programs export: every metric name in every dashboard
 * query is one that the ingest's and the sinks' registries render (their real constructors, so a
 * renamed metric fails here). Labels are checked against live programs in
 * sinks/end_to_end/metrics_integration_test.ts.
 */
import assert from "node:assert/strict";
import { MetricsRegistry } from "../ingest/observability/metrics_registry.ts";
import { createIngestMetrics } from "../ingest/track/ingest_metrics.ts";
import { createSinkMetrics } from "../sinks/loop/sink_metrics.ts";
import { DASHBOARDS } from "./definitions/mod.ts";
import { PIPELINE_HEALTH } from "./definitions/pipeline_health.ts";
import {
  dashboardMetricUses,
  exposedMetricNames,
  missingLabels,
  unknownMetrics,
} from "./promql/dashboard_metrics.ts";

function programMetricNames(): Set<string> {
  const registry = new MetricsRegistry();
  createIngestMetrics(registry);
  createSinkMetrics(registry);
  return exposedMetricNames(registry.render());
}

Deno.test("every metric a PromQL panel reads is one the ingest or a sink exports", () => {
  const uses = dashboardMetricUses(DASHBOARDS);
  assert.ok(uses.length >= 15, `only ${uses.length} metric uses: are the PromQL panels there?`);
  assert.deepEqual(unknownMetrics(uses, programMetricNames()), []);
});

Deno.test("the pipeline-health dashboard covers every metric family the programs export", () => {
  const used = new Set(dashboardMetricUses([PIPELINE_HEALTH]).map((u) => u.metric));
  const families = new Set(
    [...programMetricNames()].map((n) => n.replace(/_(bucket|sum|count)$/, "")),
  );
  const unused = [...families].filter((family) =>
    ![...used].some((m) => m === family || m.replace(/_(bucket|sum|count)$/, "") === family)
  );
  assert.deepEqual(unused, [], "metrics no pipeline-health panel shows");
});

Deno.test("a renamed metric or a missing label is reported", () => {
  const uses = [
    { panel: "d/p", metric: "analytics_ingest_events_accepted_total", labels: ["channel"] },
    { panel: "d/q", metric: "analytics_ingest_event_accepted_total", labels: [] },
  ];
  assert.deepEqual(unknownMetrics(uses, programMetricNames()), [
    "d/q: analytics_ingest_event_accepted_total",
  ]);
  assert.deepEqual(
    missingLabels(uses, ['analytics_ingest_events_accepted_total{source="x"}']),
    ["d/p: analytics_ingest_events_accepted_total has no label channel"],
  );
  assert.deepEqual(
    missingLabels(uses, ['analytics_ingest_events_accepted_total{channel="web"}']),
    [],
  );
});

Deno.test("exposedMetricNames: histograms expose _bucket, _sum and _count", () => {
  const registry = new MetricsRegistry();
  registry.histogram("h_ms", "h", [1]);
  registry.counter("c_total", "c");
  assert.deepEqual([...exposedMetricNames(registry.render())].sort(), [
    "c_total",
    "h_ms_bucket",
    "h_ms_count",
    "h_ms_sum",
  ]);
});
