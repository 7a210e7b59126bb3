/** A program of the pipeline (`ingest/main.ts`, a sink's `main.ts`) run as a child process. */
import { fileURLToPath } from "node:url";

/** A started program: its HTTP base URL, its captured standard error, and how to stop it. */
export interface PipelineProcess {
  readonly url: string;
  /** Standard error so far (the JSON log lines). */
  stderr(): string;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number>;
}

/** Service addresses emptied in every child, so each runs embedded unless a test names one. */
const EMBEDDED = { KAFKA_BROKERS: "", DATABASE_URL: "", S3_ENDPOINT: "" };

/**
 * Starts `deno run -A <entry>` (a path from the repository root) with `env` added to this
 * process's environment, and waits until `GET <url>/ready` answers 200 (at most `readyMs`).
 * The program runs embedded (local log, PGlite, local lake) unless `env` names a service: the
 * addresses the test run exported (CI exports them all) are not inherited.
 */
export async function startPipelineProcess(
  entry: string,
  env: Record<string, string>,
  url: string,
  readyMs = 60_000,
): Promise<PipelineProcess> {
  const path = fileURLToPath(new URL(`../../${entry}`, import.meta.url));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path],
    env: { NO_COLOR: "1", ...EMBEDDED, ...env },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
  })();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited: the status below says how.
    }
    const status = await child.status;
    await reading;
    return status.code;
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    const ready = await fetch(`${url}/ready`).then(async (r) => {
      await r.body?.cancel();
      return r.ok;
    }, () => false);
    if (ready) break;
    const exited = await Promise.race([child.status, new Promise((r) => setTimeout(r, 200))]);
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`${entry} did not get ready at ${url}; its log:\n${stderr.slice(-4000)}`);
    }
  }
  return { url, stderr: () => stderr, stop };
}

/** Fetches `GET <url>/metrics` and parses the Prometheus text into `name{labels}` → value. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}/metrics: ${response.status} ${text}`);
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** The sum of every series of metric `name` whose labels include all of `labels`. */
export function sumOf(
  values: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const [series, value] of values) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}
