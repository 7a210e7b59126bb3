/**
 * A scheduler whose time moves only when a test says so; timers run in due order.
 *
 * @module
 */
import type { Scheduler, TimerHandle } from "./scheduler.ts";

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** A hand-driven clock: `advance(ms)` runs every timer that falls due, in order. */
export class ManualScheduler implements Scheduler {
  #now: number;
  #next = 1;
  #pending: Pending[] = [];

  /** Starts the clock at `startMs` (Unix milliseconds). */
  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  /** The current manual time. */
  now(): number {
    return this.#now;
  }

  /** Schedules `fn` at now + ms. */
  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#pending.push({ id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  /** Cancels a pending timer. */
  clearTimer(handle: TimerHandle): void {
    this.#pending = this.#pending.filter((p) => p.id !== handle);
  }

  /** Delays of the pending timers from now, soonest first. */
  pendingDelays(): number[] {
    return this.#pending.map((p) => p.at - this.#now).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running due timers (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      this.#pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.#pending[0];
      if (!due || due.at > until) break;
      this.#pending.shift();
      this.#now = due.at;
      due.fn();
      await settle();
    }
    this.#now = until;
    await settle();
  }
}

/** Lets pending promise callbacks (and a real in-process call) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
