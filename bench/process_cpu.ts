/**
 * CPU time of processes from Linux's /proc/<pid>/stat, to say where a benchmark's CPU went (the
 * ingest, the load generator, the broker) as shares of the machine's cores over the timed part.
 *
 * @module
 */

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU milliseconds `pid` has used so far; undefined when it is gone. */
export async function readProcessCpuMs(pid: number): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  return parseProcStatCpuMs(text);
}

/** utime + stime of a /proc/<pid>/stat line, in milliseconds. */
export function parseProcStatCpuMs(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of the line are utime and stime; field 3 is the first after the name.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  }
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** CPU used by named processes between `start` and `stop`, as milliseconds and shares of cores. */
export interface CpuMeter {
  stop(): Promise<Record<string, { cpuMs: number; cores: number }>>;
}

/** Starts measuring the CPU of `pids` (name → pid; missing pids are left out). */
export async function startCpuMeter(pids: Record<string, number | undefined>): Promise<CpuMeter> {
  const started = performance.now();
  const before = new Map<string, number>();
  for (const [name, pid] of Object.entries(pids)) {
    if (pid === undefined) continue;
    const ms = await readProcessCpuMs(pid);
    if (ms !== undefined) before.set(name, ms);
  }
  return {
    async stop() {
      const wallMs = performance.now() - started;
      const out: Record<string, { cpuMs: number; cores: number }> = {};
      for (const [name, startMs] of before) {
        const ms = await readProcessCpuMs(pids[name]!);
        if (ms === undefined) continue;
        const cpuMs = ms - startMs;
        out[name] = { cpuMs, cores: Number((cpuMs / wallMs).toFixed(2)) };
      }
      return out;
    },
  };
}

/** The Kafka broker's pid from `deploy/kafka` (its pid file), when it runs here. */
export async function kafkaBrokerPid(): Promise<number | undefined> {
  const runDir = Deno.env.get("KAFKA_RUN_DIR") ??
    new URL("../deploy/.run/kafka", import.meta.url).pathname;
  try {
    const pid = Number((await Deno.readTextFile(`${runDir}/kafka.pid`)).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
