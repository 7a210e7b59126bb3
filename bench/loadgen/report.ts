/**
 * The load generator's human-readable progress line and summary.
 *
 * @module
 */
import type { LoadProgress, LoadSummary } from "./run_load.ts";

const n = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => (Number.isNaN(value) ? "-" : `${value.toFixed(1)}ms`);

/** One progress line: elapsed time, counts by outcome and the current rate. */
export function formatProgress(p: LoadProgress): string {
  return `[${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s] sent ${n(p.sent)}  accepted ${
    n(p.accepted)
  }  ` +
    `rejected ${n(p.rejected)}  not stored ${n(p.notStored)}  failed ${n(p.failed)}  ${
      n(p.rate)
    } ev/s`;
}

/** The closing summary, several lines. */
export function formatSummary(s: LoadSummary): string {
  const errors = Object.entries(s.errors).map(([code, count]) => `${code}=${count}`).join(" ") ||
    "none";
  const fields = Object.entries(s.rejectedFields).sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([field, count]) => `${field}=${count}`).join(" ");
  return [
    `loadgen ${s.protocol} ${s.method} -> ${s.url} in ${(s.elapsedMs / 1000).toFixed(2)}s`,
    `  sent ${n(s.sent)}  accepted ${n(s.accepted)}  rejected ${n(s.rejected)}  not stored ${
      n(s.notStored)
    }  failed ${n(s.failed)}`,
    `  calls ${n(s.calls)}  retried ${n(s.retried)}  errors ${errors}${
      fields ? `  rejected fields ${fields}` : ""
    }`,
    `  ${n(s.eventsPerSecond)} events/s sent, ${n(s.acceptedPerSecond)} accepted/s`,
    `  call latency p50 ${ms(s.latencyMs.p50)}  p90 ${ms(s.latencyMs.p90)}  p99 ${
      ms(s.latencyMs.p99)
    }  max ${ms(s.latencyMs.max)}`,
  ].join("\n");
}
