/**
 * The ingest's bound on work it holds: events taken into the pipeline whose publish has not been
 * answered yet. Under overload (clients sending faster than the log acknowledges) new batches are
 * shed at the door instead of queueing without end, so memory stays bounded and callers hear
 * `resource_exhausted` at once rather than waiting for a deadline.
 *
 * @module
 */

/**
 * Counts events in flight and admits a batch only while the total stays within `maxEvents` and,
 * for a call with a deadline, while a batch is expected to finish before it: the gate keeps a
 * moving average of how long admitted batches took (entry to answer). Work that would end after
 * its caller gave up is refused at once instead of done in vain.
 */
export class InFlightGate {
  #inFlight = 0;
  /** Smoothed duration and mean deviation of admitted batches (TCP's SRTT and RTTVAR). */
  #smoothedMs = 0;
  #deviationMs = 0;

  /**
   * Makes a gate admitting at most `maxEvents` events at once (INGEST_MAX_IN_FLIGHT_EVENTS), and
   * none while `heapPressure` gives a reason (the heap near its limit; see heap_pressure.ts).
   */
  constructor(
    readonly maxEvents: number,
    readonly heapPressure?: { check(): string | undefined },
  ) {
    if (!(Number.isInteger(maxEvents) && maxEvents >= 1)) {
      throw new RangeError(`maxEvents must be an integer >= 1, got ${maxEvents}`);
    }
  }

  /** Events admitted and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * What a batch may take now: the moving average of admitted batches' milliseconds plus four
   * times their mean deviation (TCP's retransmission timeout rule), so a growing queue counts
   * before the average catches up. 0 before the first batch.
   */
  get expectedMs(): number {
    return this.#smoothedMs + 4 * this.#deviationMs;
  }

  /**
   * Admits `events` when they fit beside those in flight and, when `remainingMs` (the call's
   * time left) is given, when batches lately finished within it. Returns undefined when admitted,
   * else the reason naming the limit. With nothing in flight a batch is always admitted, so no
   * valid batch is refused forever and the average keeps learning.
   */
  enter(events: number, remainingMs?: number): string | undefined {
    if (this.#inFlight > 0) {
      if (this.#inFlight + events > this.maxEvents) return overloadedReason(this.maxEvents);
      const heap = this.heapPressure?.check();
      if (heap !== undefined) return heap;
      const expectedMs = this.expectedMs;
      if (remainingMs !== undefined && remainingMs < expectedMs) {
        return deadlineReason(expectedMs, remainingMs);
      }
    }
    this.#inFlight += events;
    return undefined;
  }

  /** Admits like `enter`, without a deadline; true when admitted. */
  tryEnter(events: number): boolean {
    return this.enter(events) === undefined;
  }

  /** Releases `events` admitted by `enter`, which took `tookMs` (left out of the average if absent). */
  leave(events: number, tookMs?: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - events);
    if (tookMs === undefined || tookMs < 0) return;
    if (this.#smoothedMs === 0) {
      this.#smoothedMs = tookMs;
      this.#deviationMs = tookMs / 2;
    } else {
      this.#deviationMs = 0.75 * this.#deviationMs + 0.25 * Math.abs(this.#smoothedMs - tookMs);
      this.#smoothedMs = 0.875 * this.#smoothedMs + 0.125 * tookMs;
    }
  }
}

/** Reason given to a call shed because batches now take longer than its deadline leaves. */
export function deadlineReason(expectedMs: number, remainingMs: number): string {
  return `ingest overloaded: batches take about ${Math.round(expectedMs)} ms now, more than ` +
    `the ${Math.max(0, Math.round(remainingMs))} ms left before the call's deadline; retry later`;
}

/** Reason given to events shed by the gate (outcome NOT_STORED, call `resource_exhausted`). */
export function overloadedReason(maxEvents: number): string {
  return `ingest overloaded: more than ${maxEvents} events awaiting the event log ` +
    "(INGEST_MAX_IN_FLIGHT_EVENTS); retry later";
}
