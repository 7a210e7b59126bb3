/**
 * Spreads batches evenly over time so a run holds its target rate, however many workers share it.
 *
 * @module
 */

/** Hands out send times for batches at a target rate. */
export interface Pacer {
  /** Reserves the next slot for a batch of `size` events; returns how many ms to wait for it. */
  reserve(size: number): number;
  /** Reserves the next slot and resolves when it is due. */
  wait(size: number): Promise<void>;
}

/** A pacer for `eventsPerSecond` (0 = no pacing) measured from its creation on `clock`. */
export function createPacer(
  eventsPerSecond: number,
  clock: () => number = () => performance.now(),
): Pacer {
  if (!(eventsPerSecond >= 0)) throw new RangeError(`rate must be >= 0, got ${eventsPerSecond}`);
  const start = clock();
  let scheduled = 0;
  const reserve = (size: number): number => {
    if (eventsPerSecond === 0) return 0;
    const due = start + (scheduled / eventsPerSecond) * 1000;
    scheduled += size;
    return Math.max(0, due - clock());
  };
  return {
    reserve,
    wait(size) {
      const delay = reserve(size);
      return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
    },
  };
}
