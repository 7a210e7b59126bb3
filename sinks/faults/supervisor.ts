/**
 * A process supervisor for fault tests: starts the ingest and the sinks as real processes (their
 * `main.ts`, with an environment like a deployment's), waits until they answer `/ready`, restarts
 * one that exits unexpectedly (a failpoint kill is an exit by SIGKILL), SIGKILLs one on request or
 * at random, and stops everything at the end, SIGKILLing what does not stop in time.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where deno.json is). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Variables a child inherits from the test process; everything else is given explicitly. */
const INHERITED = ["PATH", "HOME", "TMPDIR", "DENO_DIR", "NO_COLOR", "LANG", "CI"];

/** What to run and how. */
export interface ProcessSpec {
  /** Unique name in this supervisor, e.g. "ingest", "hot-sink", "lake-sink-2". */
  name: string;
  /** Program, relative to the repository root, run with `deno run -A`. */
  script: string;
  /** The program's environment (on top of PATH, HOME, DENO_DIR...). */
  env: Record<string, string>;
  /** Extra variables for the n-th start (0 = first), e.g. failpoints for the first starts only. */
  envForStart?: (start: number) => Record<string, string>;
  /** Answers 200 once the program is ready (e.g. http://127.0.0.1:3002/ready). */
  readyUrl: string;
  /** Restart after any exit the supervisor did not ask for. Default true. */
  restart?: boolean;
}

/** One exit of a supervised process. */
export interface ProcessExit {
  name: string;
  start: number;
  code: number;
  signal: Deno.Signal | null;
  /** True when the supervisor itself sent the signal (kill() or stopAll()). */
  requested: boolean;
}

/** Options of a `Supervisor`. */
export interface SupervisorOptions {
  /** Folder for each process's log (`<name>.log`, stdout and stderr of every start). */
  workDir: string;
  /** How long to wait for `/ready` after a start. Default 60 s. */
  readyTimeoutMs?: number;
  /** Pause before a restart. Default 200 ms. */
  restartDelayMs?: number;
  /** Grace between SIGTERM and SIGKILL in stopAll. Default 15 s. */
  stopGraceMs?: number;
}

/** A process under supervision, across its restarts. */
class Supervised {
  starts = 0;
  child: Deno.ChildProcess | undefined;
  /** Resolves when the current incarnation answered /ready. */
  ready: Promise<void> = Promise.resolve();
  /** The supervision loop (resolves after the last exit). */
  loop: Promise<void> = Promise.resolve();
  stopping = false;
  requestedSignal: Deno.Signal | undefined;
  constructor(readonly spec: ProcessSpec, readonly logPath: string) {}
}

/** Starts, watches, restarts, kills and stops processes. */
export class Supervisor {
  readonly #options: Required<SupervisorOptions>;
  readonly #processes = new Map<string, Supervised>();
  /** Every exit so far, in order. */
  readonly exits: ProcessExit[] = [];
  readonly #unload = () => this.#killAllNow();

  constructor(options: SupervisorOptions) {
    this.#options = {
      readyTimeoutMs: 60_000,
      restartDelayMs: 200,
      stopGraceMs: 15_000,
      ...options,
    };
    // Last resort against orphans when the test process itself exits abruptly.
    globalThis.addEventListener("unload", this.#unload);
  }

  /** Starts a process and waits until it is ready (restarting it if it dies meanwhile). */
  async start(spec: ProcessSpec): Promise<void> {
    if (this.#processes.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    const supervised = new Supervised(spec, join(this.#options.workDir, `${spec.name}.log`));
    this.#processes.set(spec.name, supervised);
    let firstReady!: () => void;
    let firstTimedOut!: (error: Error) => void;
    const first = new Promise<void>((resolve, reject) => {
      firstReady = resolve;
      firstTimedOut = reject;
    });
    supervised.loop = this.#supervise(supervised, firstReady, firstTimedOut);
    await Promise.race([
      first,
      supervised.loop.then(() => {
        throw new Error(`${spec.name} stopped before it was ready; see ${supervised.logPath}`);
      }),
    ]);
    await supervised.ready;
  }

  /** Resolves when `name` is ready, following restarts of incarnations that died first. */
  async waitReady(name: string): Promise<void> {
    const p = this.#get(name);
    const deadline = Date.now() + this.#options.readyTimeoutMs;
    while (true) {
      const ready = p.ready;
      try {
        await ready;
        if (ready === p.ready) return;
      } catch (error) {
        if (p.stopping || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Names of the supervised processes. */
  get names(): string[] {
    return [...this.#processes.keys()];
  }

  /** Times `name` was started (1 after the first start). */
  starts(name: string): number {
    return this.#get(name).starts;
  }

  /** Exits of `name` by SIGKILL that nobody in this test process asked for (failpoints). */
  unrequestedKills(name?: string): number {
    return this.exits.filter((e) =>
      (name === undefined || e.name === name) && e.signal === "SIGKILL" && !e.requested
    ).length;
  }

  /** Sends `signal` (default SIGKILL) to `name`; it is restarted unless `restart` is false. */
  kill(name: string, signal: Deno.Signal = "SIGKILL"): void {
    const supervised = this.#get(name);
    if (supervised.child === undefined) throw new Error(`${name} is not running`);
    supervised.requestedSignal = signal;
    supervised.child.kill(signal);
  }

  /** SIGKILLs one of `names` (default: all) chosen at random; returns its name. */
  killRandom(names: string[] = this.names, random: () => number = Math.random): string {
    const name = names[Math.floor(random() * names.length)];
    this.kill(name);
    return name;
  }

  /** The last `lines` lines of `name`'s log. */
  async tail(name: string, lines = 30): Promise<string> {
    const text = await Deno.readTextFile(this.#get(name).logPath).catch(() => "");
    return text.split("\n").slice(-lines - 1).join("\n");
  }

  /** Stops every process: SIGTERM, then SIGKILL after the grace; waits for all exits. */
  async stopAll(): Promise<void> {
    const all = [...this.#processes.values()];
    for (const p of all) {
      p.stopping = true;
      if (p.child) {
        p.requestedSignal = "SIGTERM";
        try {
          p.child.kill("SIGTERM");
        } catch { /* already exited */ }
      }
    }
    const timer = setTimeout(() => this.#killAllNow(), this.#options.stopGraceMs);
    try {
      await Promise.allSettled(all.map((p) => p.loop));
    } finally {
      clearTimeout(timer);
      globalThis.removeEventListener("unload", this.#unload);
    }
  }

  #killAllNow(): void {
    for (const p of this.#processes.values()) {
      p.stopping = true;
      if (p.child) {
        p.requestedSignal = "SIGKILL";
        try {
          p.child.kill("SIGKILL");
        } catch { /* already exited */ }
      }
    }
  }

  #get(name: string): Supervised {
    const p = this.#processes.get(name);
    if (p === undefined) throw new Error(`no supervised process named ${name}`);
    return p;
  }

  async #supervise(
    p: Supervised,
    firstReady: () => void,
    firstTimedOut: (error: Error) => void,
  ): Promise<void> {
    while (!p.stopping) {
      const start = p.starts++;
      const env: Record<string, string> = {};
      for (const name of INHERITED) {
        const value = Deno.env.get(name);
        if (value !== undefined) env[name] = value;
      }
      Object.assign(env, p.spec.env, p.spec.envForStart?.(start) ?? {});
      const log = await Deno.open(p.logPath, { create: true, append: true });
      await log.write(new TextEncoder().encode(`\n=== start ${start} of ${p.spec.name}\n`));
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", p.spec.script],
        cwd: REPO_ROOT,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      p.child = child;
      p.requestedSignal = undefined;
      const copying = Promise.all([
        copyInto(child.stdout, p.logPath),
        copyInto(child.stderr, p.logPath),
      ]);
      const status = child.status;
      p.ready = waitReady(p.spec.readyUrl, status, this.#options.readyTimeoutMs, p.spec.name);
      // A start that runs but never answers /ready fails start() (it used to wait forever); one
      // that exits first is restarted and waited for again.
      p.ready.then(firstReady, (error) => {
        if (error instanceof NotReadyError) firstTimedOut(error);
      });
      const exit = await status;
      await copying;
      log.close();
      p.child = undefined;
      this.exits.push({
        name: p.spec.name,
        start,
        code: exit.code,
        signal: exit.signal,
        requested: p.requestedSignal !== undefined && p.requestedSignal === exit.signal,
      });
      if (p.stopping || p.spec.restart === false) break;
      await new Promise((r) => setTimeout(r, this.#options.restartDelayMs));
    }
  }
}

/** A process that runs but did not answer /ready in time. */
class NotReadyError extends Error {}

async function copyInto(stream: ReadableStream<Uint8Array>, path: string): Promise<void> {
  const file = await Deno.open(path, { create: true, append: true });
  try {
    for await (const chunk of stream) {
      let at = 0;
      while (at < chunk.length) at += await file.write(chunk.subarray(at));
    }
  } finally {
    file.close();
  }
}

/** Polls `url` until it answers 200; rejects when the process exits first or time runs out. */
async function waitReady(
  url: string,
  status: Promise<Deno.CommandStatus>,
  timeoutMs: number,
  name: string,
): Promise<void> {
  let exited = false;
  status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (!exited) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      throw new NotReadyError(`${name} not ready at ${url} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} exited before it was ready`);
}
