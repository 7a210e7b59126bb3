/**
 * The load generator as a child process of a fault test: reads its `LoadOptions` (the JSON part)
 * from the `LOAD_OPTIONS` variable, runs `runLoad`, stops early on SIGTERM (calls in flight
 * finish, as with `LoadOptions.signal`) and prints the `LoadSummary` as JSON on stdout.
 *
 * Its HTTP/2 sessions live and die with this process, so the test process never holds one when
 * the ingest shuts down (Deno 2.9's node:http2 can abort the whole process on a GOAWAY arriving
 * at a client session: denoland/deno#36788).
 *
 * @module
 */
import type { LoadOptions } from "../../../bench/loadgen/mod.ts";

// The SIGTERM listener goes in before the load generator's modules load (a dynamic import), so
// a stop asked for while this process is still starting ends the run instead of killing it.
const stop = new AbortController();
Deno.addSignalListener("SIGTERM", () => stop.abort());
const options = JSON.parse(Deno.env.get("LOAD_OPTIONS") ?? "{}") as LoadOptions;
const { runLoad } = await import("../../../bench/loadgen/mod.ts");
const summary = await runLoad({ ...options, signal: stop.signal });
console.log(JSON.stringify(summary));
Deno.exit(0);
