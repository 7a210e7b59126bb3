/** Starts `ingest/main.ts` as a child process and waits until it listens. */

/** A running ingest process. */
export interface IngestProcess {
  grpcUrl: string;
  httpUrl: string;
  /** The child's process id (for /proc/<pid>/status). */
  pid: number;
  /** Settles when the child exits, by itself or after `stop`. */
  status: Promise<Deno.CommandStatus>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

const mainPath = new URL("../ingest/main.ts", import.meta.url).pathname;

/** The ingest image's V8 flags (deploy/images/ingest.Dockerfile): the heap cap it runs with. */
export const INGEST_DENO_V8_FLAGS = "--max-old-space-size=192";

/**
 * Spawns the ingest with `env` (added to this process's environment) and reads its listen log.
 * `denoArgs` go before the script, e.g. `--cpu-prof` (or BENCH_INGEST_DENO_ARGS, space-separated).
 */
export async function spawnIngest(
  env: Record<string, string>,
  denoArgs: string[] = (Deno.env.get("BENCH_INGEST_DENO_ARGS") ?? "").split(" ").filter(Boolean),
): Promise<IngestProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...denoArgs, mainPath],
    // Run as deployed: the image's heap cap unless the caller's environment sets its own.
    env: { DENO_V8_FLAGS: Deno.env.get("DENO_V8_FLAGS") ?? INGEST_DENO_V8_FLAGS, ...env },
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  const urls = new Map<string, string>();
  // The logger writes JSON lines to standard error.
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines())
    .getReader();
  const timeout = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const lastLines: string[] = [];
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error(
          `the ingest exited before listening (${urls.size} listeners):\n${lastLines.join("\n")}`,
        );
      }
      lastLines.push(value);
      if (lastLines.length > 8) lastLines.shift();
      if (!value.startsWith("{")) continue;
      const entry = JSON.parse(value) as { msg?: string; listener?: string; url?: string };
      if (entry.msg === "listening" && entry.listener && entry.url) {
        urls.set(entry.listener, entry.url);
      }
      if (entry.msg === "event log open") break;
    }
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* it already exited */ }
    await child.status;
    throw error;
  } finally {
    clearTimeout(timeout);
  }
  // Keep draining its log so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    grpcUrl: urls.get("grpc")!,
    httpUrl: urls.get("http")!,
    pid: child.pid,
    status: child.status,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

/** Splits a text stream into lines. */
function splitLines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) controller.enqueue(line);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}
