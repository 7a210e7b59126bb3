/**
 * Runs the real ingest program (`ingest/main.ts`) as a child process for tests: free ports, the
 * environment the test gives (embedded log unless it names Kafka), its JSON log lines collected.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { EMBEDDED_ENV } from "./embedded_env.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** A running ingest program. */
export interface IngestProcess {
  /** `http://127.0.0.1:<port>` of the Connect/HTTP listener (https with TLS). */
  httpUrl: string;
  /** `http://127.0.0.1:<port>` of the gRPC listener (cleartext only). */
  grpcUrl: string | undefined;
  /** Every line the program wrote to standard error so far, parsed JSON where it was JSON. */
  lines(): (Record<string, unknown> | string)[];
  /** The raw text written to standard error and standard output so far. */
  output(): string;
  /** Waits until a log line satisfies `test` (default 30 s), returning it. */
  waitFor(test: (line: Record<string, unknown>) => boolean, what: string): Promise<unknown>;
  /** Sends a signal to the program. */
  signal(signal: Deno.Signal): void;
  /** Stops the program with SIGTERM and waits for it; returns its exit code. */
  stop(): Promise<number>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `ingest/main.ts` with `env` on top of an embedded-mode environment (port 0 listeners,
 * no Kafka) and waits until it logged where it listens.
 */
export async function startIngestProcess(env: Record<string, string>): Promise<IngestProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "ingest/main.ts"],
    cwd: REPO,
    env: { ...EMBEDDED_ENV, OTEL_DENO: "false", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const parsed: (Record<string, unknown> | string)[] = [];
  let changed: () => void = () => {};
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    let pending = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const part of parts) parsed.push(parseLine(part));
      changed();
    }
    if (pending !== "") parsed.push(parseLine(pending));
    changed();
  };
  const done = Promise.all([collect(child.stderr), collect(child.stdout)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    changed();
    return s;
  });

  const waitFor = async (test: (line: Record<string, unknown>) => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    for (let seen = 0;;) {
      for (; seen < parsed.length; seen++) {
        const line = parsed[seen];
        if (typeof line === "object" && test(line)) return line;
      }
      if (exited) throw new Error(`ingest exited before ${what}:\n${text.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within 30 s:\n${text.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    const { code } = await status;
    await done;
    return code;
  };
  try {
    await waitFor((l) => l.msg === "event log open", "start-up");
  } catch (error) {
    if (!exited) child.kill("SIGKILL");
    await status;
    await done;
    throw error;
  }
  const url = (name: string) =>
    (parsed.find((l) => typeof l === "object" && l.msg === "listening" && l.listener === name) as
      | Record<string, string>
      | undefined)?.url;
  const listeners = parsed.filter((l) => typeof l === "object" && l.msg === "listening");
  const httpUrl = url("http") ?? url("tls") ?? (listeners[0] as Record<string, string>).url;
  return {
    httpUrl,
    grpcUrl: url("grpc"),
    lines: () => [...parsed],
    output: () => text,
    waitFor,
    signal: (signal) => child.kill(signal),
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

function parseLine(line: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null ? value : line;
  } catch {
    return line;
  }
}
