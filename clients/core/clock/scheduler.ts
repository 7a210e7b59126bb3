/**
 * The clock and timers a client runs on, passed in so tests can drive time by hand.
 *
 * @module
 */

/** A handle of a scheduled callback. */
export type TimerHandle = unknown;

/** Time and timers: the system's by default, a manual one in tests. */
export interface Scheduler {
  /** Unix milliseconds. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  /** Cancels a callback that has not run yet. */
  clearTimer(handle: TimerHandle): void;
}

/** The system clock and `setTimeout`; timers do not keep a Deno or Node process alive. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const handle = setTimeout(fn, ms);
    unrefTimer(handle);
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function unrefTimer(handle: unknown): void {
  // Deno: Deno.unrefTimer(id); Node: timeout.unref(); browsers: nothing to do.
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof handle === "number" && deno?.unrefTimer) deno.unrefTimer(handle);
  else if (typeof (handle as { unref?: () => void })?.unref === "function") {
    (handle as { unref: () => void }).unref();
  }
}
