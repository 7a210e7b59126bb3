/**
 * `deno task capacity [--events-per-second N ...]`: what N events/s need (default 10k, 100k and
 * 1M): replicas, partitions, broker disk, hot-store and lake storage. `--json` prints the plans
 * as JSON. The figures and assumptions are in bench/capacity/model.ts and docs/capacity.md.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ASSUMED, MEASURED, planCapacity } from "./model.ts";
import { renderPlans } from "./report.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    "events-per-second": { type: "string", multiple: true },
    json: { type: "boolean" },
  },
});
const rates = (values["events-per-second"] ?? ["10000", "100000", "1000000"]).map((text) => {
  const rate = Number(text.replaceAll("_", ""));
  if (!(rate > 0)) {
    console.error(`--events-per-second: expected a positive number, got "${text}"`);
    Deno.exit(2);
  }
  return rate;
});
const plans = rates.map((rate) => planCapacity(rate));
if (values.json) {
  console.log(JSON.stringify({ measured: MEASURED, assumed: ASSUMED, plans }, null, 2));
} else {
  console.log(renderPlans(plans));
  console.log(
    "\nMeasured here: per-process rates, event size, PostgreSQL and Parquet bytes per row." +
      "\nAssumed: headroom, compression ratios, replication, retention (docs/capacity.md).",
  );
}
