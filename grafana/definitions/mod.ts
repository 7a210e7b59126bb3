/** Every dashboard this repository provisions, as specs. */
import type { DashboardSpec } from "./panel_spec.ts";
import { MULTI_CHANNEL } from "./multi_channel.ts";
import { OVERVIEW } from "./overview.ts";

/** The dashboards, in file order. */
export const DASHBOARDS: readonly DashboardSpec[] = [OVERVIEW, MULTI_CHANNEL];

export { buildDashboard, type DashboardSpec, panelsOf, type PanelSpec } from "./panel_spec.ts";
