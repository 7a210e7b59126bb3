/**
 * Resident memory of a process from Linux's /proc/<pid>/status (VmRSS now, VmHWM its peak), and
 * a sampler that keeps the highest VmRSS seen while a benchmark runs.
 *
 * @module
 */

/** One reading of a process's memory, in MiB. */
export interface ProcessMemory {
  rssMiB: number;
  /** The kernel's high-water mark of the resident set since the process started. */
  hwmMiB: number;
}

/** Reads VmRSS and VmHWM of `pid`; undefined when the process is gone. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  return parseProcStatus(text);
}

/** Parses the VmRSS and VmHWM lines (kB) of a /proc/<pid>/status text into MiB. */
export function parseProcStatus(text: string): ProcessMemory {
  const kib = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text);
    if (!match) throw new Error(`/proc status has no ${name} line`);
    return Number(match[1]) / 1024;
  };
  return { rssMiB: kib("VmRSS"), hwmMiB: kib("VmHWM") };
}

/** A running sampler of a process's memory. */
export interface MemorySampler {
  /** Stops sampling; the peak VmRSS sampled, the last VmHWM read, and how many samples. */
  stop(): Promise<{ peakRssMiB: number; hwmMiB: number; samples: number }>;
}

/** Samples `pid`'s memory every `intervalMs` until stopped. */
export function sampleProcessMemory(pid: number, intervalMs = 250): MemorySampler {
  let peakRssMiB = 0, hwmMiB = 0, samples = 0;
  let reading = Promise.resolve();
  const take = () => {
    reading = reading.then(async () => {
      const memory = await readProcessMemory(pid);
      if (!memory) return;
      samples++;
      peakRssMiB = Math.max(peakRssMiB, memory.rssMiB);
      hwmMiB = memory.hwmMiB;
    });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      take();
      await reading;
      return { peakRssMiB, hwmMiB, samples };
    },
  };
}
