/**
 * A token bucket: holds at most `burst` tokens and gains `perSecond` tokens a second. Time is
 * passed in (milliseconds), so the bucket has no clock of its own.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  /** A full bucket at time `now`. */
  constructor(readonly perSecond: number, readonly burst: number, now: number) {
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes up to `wanted` whole tokens at time `now` and returns how many it took. */
  take(wanted: number, now: number): number {
    this.#refill(now);
    const granted = Math.max(0, Math.min(wanted, Math.floor(this.#tokens)));
    this.#tokens -= granted;
    return granted;
  }

  /** Tokens available at time `now` (fractional). */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  #refill(now: number): void {
    // A clock that goes back adds nothing; it never takes tokens away.
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.perSecond) / 1000);
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }
}
