/**
 * Grafana as code: the dashboard specs, their JSON rendering and the macro expander that lets
 * tests run the panels' SQL.
 *
 * @module
 */
export {
  buildDashboard,
  DASHBOARDS,
  type DashboardSpec,
  panelsOf,
  type PanelSpec,
} from "./definitions/mod.ts";
export { DASHBOARDS_DIR, renderDashboards, writeDashboards } from "./generate.ts";
export { expandMacros, type MacroContext, MacroError } from "./macros/mod.ts";
