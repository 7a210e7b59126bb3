/**
 * A closed-loop driver of one-event HTTP requests, as browsers send them: `concurrency` callers,
 * each posting one JSON body at a time over keep-alive HTTP/1.1 (Deno's fetch pools connections)
 * and waiting for the answer before the next. The same driver loads our ingest and the peer of
 * scenario 2, so the two differ only in the server.
 *
 * @module
 */
import { type LatencySummary, summarizeLatencies } from "./loadgen/stats.ts";
import { kafkaBrokerPid, startCpuMeter } from "./process_cpu.ts";

/** Options of `driveSingleEvents`. */
export interface SingleEventLoadOptions {
  url: string;
  headers: Record<string, string>;
  /** The body of request `i` (a fresh event each). */
  body(i: number): string;
  /** Whether an answer's status and text say the event was stored. */
  accepted(status: number, text: string): boolean;
  concurrency: number;
  durationMs: number;
  /** The server's process, whose CPU is measured beside the driver's and the broker's. */
  serverPid?: number;
  onProgress?: (line: string) => void;
}

/** What `driveSingleEvents` measured. */
export interface SingleEventLoadSummary {
  requests: number;
  accepted: number;
  /** Requests answered with anything but an accepted event, by HTTP status (0 = network error). */
  failedByStatus: Record<string, number>;
  acceptedPerSecond: number;
  latencyMs: LatencySummary;
  meanBodyBytes: number;
  /** CPU of the server, this driver and the broker over the run (milliseconds, cores). */
  cpu: Record<string, { cpuMs: number; cores: number }>;
  /** The server's CPU per accepted event, in microseconds (when its pid was given). */
  serverCpuMicrosPerEvent?: number;
}

/** Runs the closed loop for `durationMs` and summarises it. */
export async function driveSingleEvents(
  options: SingleEventLoadOptions,
): Promise<SingleEventLoadSummary> {
  const latencies: number[] = [];
  const failedByStatus: Record<string, number> = {};
  let next = 0;
  let accepted = 0;
  let bodyBytes = 0;
  const meter = await startCpuMeter({
    server: options.serverPid,
    driver: Deno.pid,
    broker: await kafkaBrokerPid(),
  });
  const started = performance.now();
  const deadline = started + options.durationMs;
  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.(`${accepted} accepted, ${(accepted / seconds).toFixed(0)} events/s`);
  }, 2_000);
  const caller = async () => {
    while (performance.now() < deadline) {
      const body = options.body(next++);
      bodyBytes += body.length;
      const t0 = performance.now();
      let status = 0;
      let text = "";
      try {
        const response = await fetch(options.url, {
          method: "POST",
          headers: options.headers,
          body,
        });
        status = response.status;
        text = await response.text();
      } catch {
        status = 0;
      }
      latencies.push(performance.now() - t0);
      if (options.accepted(status, text)) accepted++;
      else failedByStatus[status] = (failedByStatus[status] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, caller));
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = await meter.stop();
  return {
    requests: next,
    accepted,
    failedByStatus,
    acceptedPerSecond: accepted / seconds,
    latencyMs: summarizeLatencies(latencies),
    meanBodyBytes: Math.round(bodyBytes / Math.max(1, next)),
    cpu,
    serverCpuMicrosPerEvent: cpu.server && accepted > 0
      ? Math.round(cpu.server.cpuMs * 1000 / accepted)
      : undefined,
  };
}
