/** Text rendering of capacity plans: one column per event rate, then the advice of each. */
import type { CapacityPlan } from "./model.ts";

/** Bytes as B, kB, MB, GB, TB or PB (decimal units), three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toPrecision(3)} ${units[unit]}`;
}

/** A table of the plans (one column each) followed by each plan's advice. */
export function renderPlans(plans: CapacityPlan[]): string {
  const rows: [string, (p: CapacityPlan) => string][] = [
    ["events/s", (p) => p.eventsPerSecond.toLocaleString("en-US")],
    ["ingest replicas", (p) => String(p.ingestReplicas)],
    ["topic partitions", (p) => String(p.partitions)],
    ["hot sink replicas", (p) => String(p.hotSinkReplicas)],
    ["lake sink replicas", (p) => String(p.lakeSinkReplicas)],
    ["program cores (machines)", (p) => `${p.programCores} (${p.programMachines})`],
    ["broker disk / day (RF incl.)", (p) => formatBytes(p.brokerBytesPerDay)],
    ["broker disk at retention", (p) => formatBytes(p.brokerBytesRetained)],
    ["hot store / day", (p) => formatBytes(p.hotStoreBytesPerDay)],
    ["hot store at retention", (p) => formatBytes(p.hotStoreBytesSteadyState)],
    ["lake / day", (p) => formatBytes(p.lakeBytesPerDay)],
  ];
  const cells = rows.map(([label, cell]) => [label, ...plans.map(cell)]);
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const lines = cells.map((row) =>
    row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ")
  );
  for (const plan of plans) {
    lines.push("", `At ${plan.eventsPerSecond.toLocaleString("en-US")} events/s, change first:`);
    plan.advice.forEach((line, i) => lines.push(`  ${i + 1}. ${line}`));
  }
  return lines.join("\n");
}
