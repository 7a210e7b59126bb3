/**
 * A dashboard described as data — sections of panels, each with one SQL query and the columns its
 * visualisation reads — and its translation into a Grafana dashboard with the foundation SDK. The
 * panel-query test reads the same specs to know which columns each query must return.
 *
 * @module
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { ANALYTICS_POSTGRES } from "./datasources.ts";
import { type SqlFormat, SqlTargetBuilder } from "./sql_target.ts";

/** The visualisations the dashboards use. */
export type PanelKind = "timeseries" | "barchart" | "table" | "stat";

/** One panel: a visualisation of one SQL query. */
export interface PanelSpec {
  title: string;
  description: string;
  kind: PanelKind;
  /** `time_series` results need a `time` column; tables are read as they are. */
  format: SqlFormat;
  /** The query, with Grafana macros for the time range and bucket. */
  sql: string;
  /** Columns the visualisation reads (checked against the real result by the panel test). */
  columns: readonly string[];
  /** Grafana unit id of the values (`short`, `ms`, `currencyUSD`, `percent`, ...). */
  unit?: string;
  /** Lower bound of `$__interval` (e.g. `1m` for the per-minute rollup). */
  minInterval?: string;
  /** Width in grid columns (24 in all) and height in rows. Defaults 12 × 8. */
  width?: number;
  height?: number;
}

/** A titled group of panels (a row in Grafana). */
export interface SectionSpec {
  title: string;
  panels: readonly PanelSpec[];
}

/** One dashboard: where it goes and what it shows. */
export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: readonly string[];
  /** File name under `grafana/dashboards/`. */
  file: string;
  sections: readonly SectionSpec[];
}

/** Refresh every 5 s over the last hour, as the product promises "see it in real time". */
const REFRESH = "5s";
const DEFAULT_RANGE = { from: "now-1h", to: "now" };

/** The builder methods every panel kind shares. */
interface QueryPanelBuilder<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(datasource: common.DataSourceRef): T;
  withTarget(target: SqlTargetBuilder): T;
  span(width: number): T;
  height(height: number): T;
  unit(unit: string): T;
  interval(interval: string): T;
}

/** `builder` with the spec's title, description, size, unit and its one SQL target. */
function withQuery<T extends QueryPanelBuilder<T>>(builder: T, spec: PanelSpec): T {
  const target = new SqlTargetBuilder(ANALYTICS_POSTGRES).refId("A").format(spec.format)
    .rawSql(spec.sql);
  let panel = builder.title(spec.title).description(spec.description)
    .datasource(ANALYTICS_POSTGRES).withTarget(target)
    .span(spec.width ?? 12).height(spec.height ?? 8);
  if (spec.unit) panel = panel.unit(spec.unit);
  if (spec.minInterval) panel = panel.interval(spec.minInterval);
  return panel;
}

function panelBuilder(spec: PanelSpec): cog.Builder<dashboard.Panel> {
  switch (spec.kind) {
    case "timeseries":
      return withQuery(new timeseries.PanelBuilder(), spec).fillOpacity(10).lineWidth(1).legend(
        new common.VizLegendOptionsBuilder().showLegend(true)
          .displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom),
      );
    case "barchart":
      return withQuery(new barchart.PanelBuilder(), spec);
    case "table":
      return withQuery(new table.PanelBuilder(), spec);
    case "stat":
      return withQuery(new stat.PanelBuilder(), spec);
  }
}

/** The Grafana dashboard of `spec`, built with the foundation SDK. */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .refresh(REFRESH)
    .time(DEFAULT_RANGE)
    .timezone("browser")
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
  const oneSection = spec.sections.length === 1;
  for (const section of spec.sections) {
    if (!oneSection) builder.withRow(new dashboard.RowBuilder(section.title));
    for (const panel of section.panels) builder.withPanel(panelBuilder(panel));
  }
  return builder.build();
}

/** Every panel of `spec` with the title of its section. */
export function panelsOf(spec: DashboardSpec): { section: string; panel: PanelSpec }[] {
  return spec.sections.flatMap((s) => s.panels.map((panel) => ({ section: s.title, panel })));
}
