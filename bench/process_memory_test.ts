import { equal, ok, throws } from "node:assert/strict";
import { parseProcStatus, readProcessMemory, sampleProcessMemory } from "./process_memory.ts";

Deno.test("parseProcStatus reads VmRSS and VmHWM in MiB", () => {
  const text = "Name:\tdeno\nVmHWM:\t  262144 kB\nVmRSS:\t  131072 kB\nThreads:\t9\n";
  const memory = parseProcStatus(text);
  equal(memory.rssMiB, 128);
  equal(memory.hwmMiB, 256);
  throws(() => parseProcStatus("Name:\tdeno\n"), /no VmRSS line/);
});

Deno.test("this process's memory is read, sampled, and a gone process reads as undefined", async () => {
  const now = await readProcessMemory(Deno.pid);
  ok(now && now.rssMiB > 1 && now.hwmMiB >= now.rssMiB);
  const sampler = sampleProcessMemory(Deno.pid, 10);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const sampled = await sampler.stop();
  ok(sampled.samples >= 2);
  ok(sampled.peakRssMiB > 1 && sampled.hwmMiB >= sampled.peakRssMiB);
  equal(await readProcessMemory(2 ** 22 + 12345), undefined);
});
