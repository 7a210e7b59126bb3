/** Every dashboard this repository provisions, as specs. */
import type { DashboardSpec } from "./panel_spec.ts";
import { MULTI_CHANNEL } from "./multi_channel.ts";
import { OVERVIEW } from "./overview.ts";
import { PIPELINE_HEALTH } from "./pipeline_health.ts";

/** The dashboards, in file order. */
export const DASHBOARDS: readonly DashboardSpec[] = [OVERVIEW, MULTI_CHANNEL, PIPELINE_HEALTH];

export {
  buildDashboard,
  type DashboardSpec,
  panelsOf,
  type PanelSpec,
  promPanelsOf,
  type PromPanelSpec,
  sqlPanelsOf,
  type SqlPanelSpec,
} from "./panel_spec.ts";
