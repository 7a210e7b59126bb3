/**
 * Starts `fuzz_target.ts` (the real ingest) as a child process and talks to it: its ports, its
 * memory after a full GC, whether it is still alive, what it logged at error level, and a
 * graceful stop.
 *
 * @module
 */

/** Memory of the child after two forced garbage collections, in bytes. */
export interface ChildMemory {
  rss: number;
  heapUsed: number;
}

/** A running ingest child. */
export interface IngestChild {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly pid: number;
  /** Error-level log lines so far (JSON text), e.g. "request failed". */
  readonly errorLines: readonly string[];
  /** Whether the process has exited (and how), or undefined while it runs. */
  exited(): Deno.CommandStatus | undefined;
  /** CPU time (user + system) the child has used so far, in seconds (Linux /proc). */
  cpuSeconds(): Promise<number>;
  /** Forces a full GC in the child and returns its RSS and used heap afterwards. */
  memory(): Promise<ChildMemory>;
  /** Stops the ingest gracefully (SIGKILL after `graceMs`) and returns the exit status. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
}

const targetPath = new URL("./fuzz_target.ts", import.meta.url).pathname;

/** Spawns the ingest with `env` (on top of PATH/HOME/DENO_DIR) and waits until it listens. */
export async function spawnIngestChild(env: Record<string, string>): Promise<IngestChild> {
  const inherited: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "DENO_DIR", "NO_COLOR", "LANG"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) inherited[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", targetPath],
    env: { ...inherited, ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let status: Deno.CommandStatus | undefined;
  const done = child.status.then((s) => status = s);

  const errorLines: string[] = [];
  const stderrDone = (async () => {
    for await (const line of readLines(child.stderr)) {
      if (line.includes('"level":"error"') || !line.startsWith("{")) errorLines.push(line);
    }
  })();
  const stdoutLines = readLines(child.stdout)[Symbol.asyncIterator]();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();

  const readJson = async (what: string) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      const next = await stdoutLines.next();
      if (next.done) {
        throw new Error(`the ingest child exited before ${what}: ${errorLines.join("\n")}`);
      }
      return JSON.parse(next.value);
    } finally {
      clearTimeout(timer);
    }
  };

  const ports = await readJson("listening") as { httpPort: number; grpcPort: number };
  return {
    httpPort: ports.httpPort,
    grpcPort: ports.grpcPort,
    pid: child.pid,
    errorLines,
    exited: () => status,
    async cpuSeconds() {
      const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`);
      // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async memory() {
      await writer.write(encoder.encode("gc\n"));
      const answer = await readJson("answering gc") as ChildMemory & { collected: boolean };
      if (!answer.collected) throw new Error("the child runs without --expose-gc");
      return { rss: answer.rss, heapUsed: answer.heapUsed };
    },
    async stop(graceMs = 20_000) {
      if (status === undefined) {
        await writer.write(encoder.encode("stop\n")).catch(() => {});
        await writer.close().catch(() => {});
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await done;
        clearTimeout(timer);
      }
      await stderrDone;
      return status!;
    },
  };
}

/** The lines of a byte stream. */
async function* readLines(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}
