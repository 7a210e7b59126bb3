import assert from "node:assert/strict";
import { parseProcStatCpuMs, readProcessCpuMs } from "./process_cpu.ts";

Deno.test("utime and stime are read after a command name with spaces and parentheses", () => {
  const line = "4242 (deno (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 9 0";
  assert.equal(parseProcStatCpuMs(line), 3250);
});

Deno.test("a line that is not a stat line is refused", () => {
  assert.throws(() => parseProcStatCpuMs("garbage"), /not a \/proc/);
});

Deno.test("this process's CPU time grows while it computes", async () => {
  const before = await readProcessCpuMs(Deno.pid);
  assert.ok(before !== undefined);
  let x = 0;
  const until = performance.now() + 300;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  const after = await readProcessCpuMs(Deno.pid);
  assert.ok(after! > before!, `${after} > ${before} (${x})`);
  assert.equal(await readProcessCpuMs(2 ** 22 + 1), undefined);
});
