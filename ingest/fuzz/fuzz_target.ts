/**
 * The ingest under fuzzing, as a child process: the real `startIngest` from its environment
 * (embedded log, ports 0 recommended), with a line protocol on stdin/stdout so the fuzzer can
 * measure the process's memory after a full garbage collection.
 *
 * stdout: one JSON line `{"httpPort", "grpcPort", "pid"}` once listening; then, for each `gc`
 * line read on stdin, one JSON line `{"rss", "heapUsed"}` (bytes) measured after `gc()`.
 * A `stop` line (or end of stdin) stops the ingest gracefully and exits 0.
 *
 * Run: `deno run -A --v8-flags=--expose-gc ingest/fuzz/fuzz_target.ts`
 *
 * @module
 */
import { loadIngestConfig } from "../config.ts";
import { startIngest } from "../main.ts";
import { createLogger } from "../observability/mod.ts";

async function main(): Promise<void> {
  const config = loadIngestConfig();
  const logger = createLogger({ level: config.logLevel, fields: { service: "fuzz-target" } });
  const ingest = await startIngest(config, logger);
  const out = (value: unknown) => console.log(JSON.stringify(value));
  out({ httpPort: ingest.server.httpPort, grpcPort: ingest.server.grpcPort, pid: Deno.pid });

  const collect = (globalThis as { gc?: () => void }).gc;
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let buffered = "";
  reading: for await (const chunk of lines) {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const command = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (command === "stop") break reading;
      if (command === "gc") {
        // Twice: the first pass may only queue finalizers whose memory the second frees.
        collect?.();
        collect?.();
        const { rss, heapUsed } = Deno.memoryUsage();
        out({ rss, heapUsed, collected: collect !== undefined });
      }
    }
  }
  await ingest.stop();
}

if (import.meta.main) await main();
