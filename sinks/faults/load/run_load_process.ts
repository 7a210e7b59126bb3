/**
 * Runs the load generator in a child process (`load_child.ts`) and resolves with its summary; an
 * abort of `signal` asks it to stop early (SIGTERM: calls in flight finish, the ledger is closed).
 *
 * @module
 */
import { defaultUrl, type LoadOptions, type LoadSummary } from "../../../bench/loadgen/mod.ts";

/** The options `runLoadProcess` passes on (those that survive JSON). */
export type ProcessLoadOptions = Omit<LoadOptions, "onProgress" | "signal">;

const CHILD = new URL("./load_child.ts", import.meta.url).pathname;

/** Runs `runLoad(options)` in a child `deno run -A` and returns its summary. */
export async function runLoadProcess(
  options: ProcessLoadOptions,
  signal?: AbortSignal,
): Promise<LoadSummary> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD],
    env: { LOAD_OPTIONS: JSON.stringify(options) },
    stdin: "null",
    stdout: "piped",
    // Warnings and LOADGEN_DEBUG's errors show in the test's output.
    stderr: "inherit",
  }).spawn();
  const stopChild = () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
  };
  if (signal?.aborted) stopChild();
  signal?.addEventListener("abort", stopChild);
  try {
    const { success, code, stdout } = await child.output();
    const decoder = new TextDecoder();
    const lines = decoder.decode(stdout).trim().split("\n");
    // Stopped before it could listen for SIGTERM (its listener goes in before the load generator
    // loads): it sent nothing, which is the summary of a run stopped at once.
    if (!success && signal?.aborted && code === 143 && lines.join("") === "") {
      if (options.ledgerPath) await Deno.writeTextFile(options.ledgerPath, "", { append: true });
      return nothingSent(options);
    }
    if (!success) {
      throw new Error(`load generator exited with ${code} (its errors are above)`);
    }
    return JSON.parse(lines[lines.length - 1]) as LoadSummary;
  } finally {
    signal?.removeEventListener("abort", stopChild);
  }
}

/** The summary of a run that made no call. */
function nothingSent(options: ProcessLoadOptions): LoadSummary {
  const protocol = options.protocol ?? "grpc";
  return {
    protocol,
    url: options.url ?? defaultUrl(protocol),
    method: options.method ?? "track",
    elapsedMs: 0,
    eventsPerSecond: 0,
    acceptedPerSecond: 0,
    errors: {},
    rejectedFields: {},
    latencyMs: { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN },
    sent: 0,
    accepted: 0,
    rejected: 0,
    notStored: 0,
    failed: 0,
    calls: 0,
    retried: 0,
  };
}
