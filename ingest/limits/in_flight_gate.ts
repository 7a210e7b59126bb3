/**
 * The ingest's bound on work it holds: events taken into the pipeline whose publish has not been
 * answered yet. Under overload (clients sending faster than the log acknowledges) new batches are
 * shed at the door instead of queueing without end, so memory stays bounded and callers hear
 * `resource_exhausted` at once rather than waiting for a deadline.
 *
 * @module
 */

/** Counts events in flight and admits a batch only while the total stays within `maxEvents`. */
export class InFlightGate {
  #inFlight = 0;

  /** Makes a gate admitting at most `maxEvents` events at once (INGEST_MAX_IN_FLIGHT_EVENTS). */
  constructor(readonly maxEvents: number) {
    if (!(Number.isInteger(maxEvents) && maxEvents >= 1)) {
      throw new RangeError(`maxEvents must be an integer >= 1, got ${maxEvents}`);
    }
  }

  /** Events admitted and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Admits `events` when they fit beside those in flight; a batch larger than the whole bound is
   * admitted alone when nothing else is in flight, so no valid batch is refused forever.
   */
  tryEnter(events: number): boolean {
    if (this.#inFlight > 0 && this.#inFlight + events > this.maxEvents) return false;
    this.#inFlight += events;
    return true;
  }

  /** Releases `events` admitted by `tryEnter`. */
  leave(events: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - events);
  }
}

/** Reason given to events shed by the gate (outcome NOT_STORED, call `resource_exhausted`). */
export function overloadedReason(maxEvents: number): string {
  return `ingest overloaded: more than ${maxEvents} events awaiting the event log ` +
    "(INGEST_MAX_IN_FLIGHT_EVENTS); retry later";
}
