/**
 * `deno task loadgen`: sends realistic events of every channel to an ingest and reports what
 * happened to them. See USAGE in cli_options.ts.
 *
 * @module
 */
import { parseCliOptions, USAGE } from "./cli_options.ts";
import { formatProgress, formatSummary } from "./report.ts";
import { runLoad } from "./run_load.ts";

if (import.meta.main) {
  let cli;
  try {
    cli = parseCliOptions(Deno.args, (name) => Deno.env.get(name));
  } catch (err) {
    console.error(`loadgen: ${(err as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (cli.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  const summary = await runLoad({
    ...cli.load,
    signal: stop.signal,
    onProgress: cli.quiet ? undefined : (p) => console.error(formatProgress(p)),
  });
  if (cli.json) console.log(JSON.stringify(summary, null, 2));
  else console.error(formatSummary(summary));
  // Non-zero when nothing got through, so scripts notice a dead ingest.
  Deno.exit(summary.sent > 0 && summary.accepted === 0 ? 1 : 0);
}
