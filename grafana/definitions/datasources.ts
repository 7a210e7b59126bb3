/** The datasources the dashboards query, by the uids provisioning gives them. */
import type * as common from "@grafana/grafana-foundation-sdk/common";

/** The hot store: PostgreSQL/TimescaleDB holding `analytics_events`. */
export const ANALYTICS_POSTGRES: common.DataSourceRef = {
  type: "grafana-postgresql-datasource",
  uid: "analytics-postgres",
};

/** Traces (Tempo), for links from an event's trace id. */
export const ANALYTICS_TEMPO: common.DataSourceRef = { type: "tempo", uid: "analytics-tempo" };

/** The Tempo datasource's provisioned name (internal data links carry it with the uid). */
export const TEMPO_DATASOURCE_NAME = "Traces (Tempo)";

/** The programs' metrics: Prometheus scraping every `/metrics` (docs/observability.md). */
export const ANALYTICS_PROMETHEUS: common.DataSourceRef = {
  type: "prometheus",
  uid: "analytics-prometheus",
};
