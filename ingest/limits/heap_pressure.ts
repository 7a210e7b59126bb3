/**
 * Heap pressure: whether the JavaScript heap is close to its limit. The ingest's deployment caps
 * V8's heap (`DENO_V8_FLAGS=--max-old-space-size=...`, see docs/configuration.md) so that the
 * garbage collector reclaims memory instead of growing the process under load; the in-flight gate
 * then sheds new batches while the heap is near that cap, so a cap never turns into a crash.
 *
 * @module
 */
import { getHeapStatistics } from "node:v8";

/** Options of `createHeapPressure`; defaults in brackets. */
export interface HeapPressureOptions {
  /** Used heap over the heap's limit above which there is pressure [0.8]. */
  maxFraction?: number;
  /** How long a reading is reused, so a busy ingest reads the heap at most this often [50]. */
  readEveryMs?: number;
  /** Reads used and limit bytes; V8's statistics by default. */
  read?: () => { used: number; limit: number };
  /** Clock in milliseconds; performance.now by default. */
  now?: () => number;
}

/** A check of heap pressure, with the reason to give callers shed because of it. */
export interface HeapPressure {
  /** The shed reason when the heap is above its threshold, else undefined. */
  check(): string | undefined;
}

/** Makes a heap pressure check over V8's heap statistics (or `options.read`). */
export function createHeapPressure(options: HeapPressureOptions = {}): HeapPressure {
  const maxFraction = options.maxFraction ?? 0.8;
  const readEveryMs = options.readEveryMs ?? 50;
  const read = options.read ?? (() => {
    const stats = getHeapStatistics();
    return { used: stats.used_heap_size, limit: stats.heap_size_limit };
  });
  const now = options.now ?? (() => performance.now());
  let readAt = -Infinity;
  let reason: string | undefined;
  return {
    check() {
      const at = now();
      if (at - readAt >= readEveryMs) {
        readAt = at;
        const { used, limit } = read();
        reason = used > maxFraction * limit ? heapPressureReason(used, limit) : undefined;
      }
      return reason;
    },
  };
}

/** Reason given to calls shed while the heap is near its limit. */
export function heapPressureReason(used: number, limit: number): string {
  const mib = (bytes: number) => Math.round(bytes / 1048576);
  return `ingest overloaded: its heap holds ${mib(used)} MiB of its ${mib(limit)} MiB limit; ` +
    "retry later";
}
