/** One benchmark scenario's result: our figure, the baseline from the same run, their ratio. */
export interface ScenarioResult {
  scenario: string;
  ours: { label: string; value: number };
  baseline: { label: string; value: number };
  /** ours / baseline (higher is better for throughputs). */
  ratio: number;
  details: Record<string, unknown>;
}

/** Formats results as a Markdown table. */
export function formatResults(results: ScenarioResult[]): string {
  const rows = results.map((r) =>
    `| ${r.scenario} | ${r.ours.value.toFixed(0)} ${r.ours.label} | ` +
    `${r.baseline.value.toFixed(0)} ${r.baseline.label} | ${r.ratio.toFixed(2)} |`
  );
  return ["| scenario | ours | baseline | ratio |", "|---|---|---|---|", ...rows].join("\n");
}
