/**
 * A dashboard described as data — sections of panels, each either one SQL query on the hot store
 * with the columns its visualisation reads, or PromQL queries on the programs' metrics — and its
 * translation into a Grafana dashboard with the foundation SDK. The panel-query test reads the
 * same specs to know which columns each query must return; the metric-name test, which metrics.
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
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import {
  ANALYTICS_POSTGRES,
  ANALYTICS_PROMETHEUS,
  ANALYTICS_TEMPO,
  TEMPO_DATASOURCE_NAME,
} from "./datasources.ts";
import { type SqlFormat, SqlTargetBuilder } from "./sql_target.ts";

/** The visualisations the dashboards use. */
export type PanelKind = "timeseries" | "barchart" | "table" | "stat";

/** What every panel has, whatever it queries. */
interface PanelLayout {
  title: string;
  description: string;
  kind: PanelKind;
  /** Grafana unit id of the values (`short`, `ms`, `currencyUSD`, `percent`, ...). */
  unit?: string;
  /** Lower bound of `$__interval` (e.g. `1m` for the per-minute rollup). */
  minInterval?: string;
  /** Width in grid columns (24 in all) and height in rows. Defaults 12 × 8. */
  width?: number;
  height?: number;
}

/** A panel over the hot store: one SQL query. */
export interface SqlPanelSpec extends PanelLayout {
  source?: "postgres";
  /** `time_series` results need a `time` column; tables are read as they are. */
  format: SqlFormat;
  /** The query, with Grafana macros for the time range and bucket. */
  sql: string;
  /** Columns the visualisation reads (checked against the real result by the panel test). */
  columns: readonly string[];
  /** A column holding W3C trace ids: each cell links to that trace in Tempo. */
  traceIdColumn?: string;
}

/** One PromQL query of a panel and the legend of its series (`{{label}}` placeholders). */
export interface PromQuerySpec {
  expr: string;
  legend: string;
}

/** A panel over the programs' metrics: PromQL queries on the Prometheus datasource. */
export interface PromPanelSpec extends PanelLayout {
  source: "prometheus";
  /** Range queries, refIds A, B, ... in order. */
  queries: readonly PromQuerySpec[];
}

/** One panel: a visualisation of SQL on the hot store or PromQL on the metrics. */
export type PanelSpec = SqlPanelSpec | PromPanelSpec;

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
  withTarget(target: cog.Builder<cog.Dataquery>): T;
  span(width: number): T;
  height(height: number): T;
  unit(unit: string): T;
  interval(interval: string): T;
  overrideByName(name: string, properties: dashboard.DynamicConfigValue[]): T;
}

/** `builder` with the spec's title, description, size, unit and its targets. */
function withQuery<T extends QueryPanelBuilder<T>>(builder: T, spec: PanelSpec): T {
  const datasource = spec.source === "prometheus" ? ANALYTICS_PROMETHEUS : ANALYTICS_POSTGRES;
  let panel = builder.title(spec.title).description(spec.description).datasource(datasource);
  if (spec.source === "prometheus") {
    spec.queries.forEach((query, i) => {
      panel = panel.withTarget(
        new prometheus.DataqueryBuilder().datasource(ANALYTICS_PROMETHEUS)
          .refId(String.fromCharCode(65 + i)).expr(query.expr).legendFormat(query.legend)
          .range().editorMode(prometheus.QueryEditorMode.Code),
      );
    });
  } else {
    panel = panel.withTarget(
      new SqlTargetBuilder(ANALYTICS_POSTGRES).refId("A").format(spec.format).rawSql(spec.sql),
    );
    if (spec.traceIdColumn) {
      panel = panel.overrideByName(spec.traceIdColumn, [{
        id: "links",
        value: [traceLink()],
      }]);
    }
  }
  panel = panel.span(spec.width ?? 12).height(spec.height ?? 8);
  if (spec.unit) panel = panel.unit(spec.unit);
  if (spec.minInterval) panel = panel.interval(spec.minInterval);
  return panel;
}

/**
 * A data link from a trace-id cell to that trace in Tempo: an internal link (Grafana opens the
 * Tempo datasource in Explore with the cell's value as the TraceQL query, which Tempo reads as a
 * trace id lookup).
 */
export function traceLink(): Record<string, unknown> {
  return {
    title: `Open trace ${"${__value.raw}"} in Tempo`,
    url: "",
    internal: {
      datasourceUid: ANALYTICS_TEMPO.uid,
      datasourceName: TEMPO_DATASOURCE_NAME,
      query: { queryType: "traceql", query: "${__value.raw}", refId: "A" },
    },
    targetBlank: false,
  };
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

/** The panels of `spec` that query the hot store (SQL). */
export function sqlPanelsOf(spec: DashboardSpec): { section: string; panel: SqlPanelSpec }[] {
  return panelsOf(spec).flatMap(({ section, panel }) =>
    panel.source === "prometheus" ? [] : [{ section, panel }]
  );
}

/** The panels of `spec` that query the metrics (PromQL). */
export function promPanelsOf(spec: DashboardSpec): { section: string; panel: PromPanelSpec }[] {
  return panelsOf(spec).flatMap(({ section, panel }) =>
    panel.source === "prometheus" ? [{ section, panel }] : []
  );
}
