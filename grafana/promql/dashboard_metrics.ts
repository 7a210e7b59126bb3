/**
 * The metrics the dashboards' PromQL reads, checked against what the programs expose: names
 * against the `# TYPE` lines of a `/metrics` text (a histogram `h` exposes `h_bucket`, `h_sum`,
 * `h_count`), labels against scraped series.
 *
 * @module
 */
import { type DashboardSpec, promPanelsOf } from "../definitions/panel_spec.ts";
import { promqlUses } from "./selectors.ts";

/** One metric one panel reads, with the labels its query groups by or matches on. */
export interface MetricUse {
  /** `dashboard uid/panel title`. */
  panel: string;
  metric: string;
  labels: string[];
}

/** Every metric every PromQL panel of `dashboards` reads. */
export function dashboardMetricUses(dashboards: readonly DashboardSpec[]): MetricUse[] {
  return dashboards.flatMap((spec) =>
    promPanelsOf(spec).flatMap(({ panel }) =>
      panel.queries.flatMap((query) => {
        const { metrics, labels } = promqlUses(query.expr);
        return metrics.map((metric) => ({ panel: `${spec.uid}/${panel.title}`, metric, labels }));
      })
    )
  );
}

/** The series names a Prometheus text exposes, from its `# TYPE` lines (even with no samples). */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
    } else if (type === "summary") {
      for (const suffix of ["", "_sum", "_count"]) names.add(`${name}${suffix}`);
    } else {
      names.add(name);
    }
  }
  return names;
}

/** The uses whose metric is not in `exposed`, as "panel: metric" lines. */
export function unknownMetrics(uses: readonly MetricUse[], exposed: Set<string>): string[] {
  return uses.filter((u) => !exposed.has(u.metric)).map((u) => `${u.panel}: ${u.metric}`);
}

/**
 * The uses of metrics present in `series` (scraped `name{labels}` keys) whose labels no series of
 * that metric carries, as "panel: metric has no label x" lines. Metrics absent from `series`
 * (never touched in that run) are skipped.
 */
export function missingLabels(uses: readonly MetricUse[], series: Iterable<string>): string[] {
  const labelsOf = new Map<string, Set<string>>();
  for (const key of series) {
    const brace = key.indexOf("{");
    const name = brace < 0 ? key : key.slice(0, brace);
    const labels = labelsOf.get(name) ?? new Set<string>();
    if (brace >= 0) {
      for (const [, label] of key.slice(brace).matchAll(/([A-Za-z_][A-Za-z0-9_]*)="/g)) {
        labels.add(label);
      }
    }
    labelsOf.set(name, labels);
  }
  const problems: string[] = [];
  for (const use of uses) {
    const present = labelsOf.get(use.metric);
    if (!present) continue;
    for (const label of use.labels) {
      if (!present.has(label)) problems.push(`${use.panel}: ${use.metric} has no label ${label}`);
    }
  }
  return problems;
}
