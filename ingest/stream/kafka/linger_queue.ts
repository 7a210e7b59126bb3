/**
 * Gathers the items of concurrent `add` calls for a topic into one send, for at most `lingerMs`
 * or until `maxBatch` items are waiting, then hands each caller the results of its own items.
 * This is the producer's `linger.ms`/`batch.size`: many small publishes become one request.
 *
 * With `maxInFlight` sends per key at most, what arrives while they are out waits and goes in the
 * next send as soon as one comes back (no further linger: it has waited a round trip already).
 * So batches grow with the broker's round trip instead of queueing as many small requests behind
 * the producer's single in-flight request (an idempotent producer sends one at a time).
 */
export class LingerQueue<Item, Result> {
  readonly #pending = new Map<string, { items: Item[]; callers: Caller<Result>[] }>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #sending = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * Makes a queue that sends with `send`, which must return one result per item, in order, with
   * at most `maxInFlight` sends per key out at once (unbounded by default).
   */
  constructor(
    private readonly send: (key: string, items: Item[]) => Promise<Result[]>,
    private readonly lingerMs: number,
    private readonly maxBatch: number,
    private readonly maxInFlight = Infinity,
  ) {}

  /** Queues `items` under `key`; resolves with their results once their batch was sent. */
  add(key: string, items: Item[]): Promise<Result[]> {
    return new Promise<Result[]>((resolve, reject) => {
      let group = this.#pending.get(key);
      if (!group) {
        group = { items: [], callers: [] };
        this.#pending.set(key, group);
      }
      group.callers.push({ items, resolve, reject });
      for (const item of items) group.items.push(item);
      if (group.items.length >= this.maxBatch) {
        this.#flush(key);
      } else if (!this.#timers.has(key) && !this.#busy(key)) {
        this.#timers.set(key, setTimeout(() => this.#flush(key), this.lingerMs));
      }
    });
  }

  /** Sends everything waiting now and resolves when every send in flight has finished. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0 || this.#inFlight.size > 0) {
      for (const key of [...this.#pending.keys()]) this.#flush(key);
      await Promise.all([...this.#inFlight]);
    }
  }

  #busy(key: string): boolean {
    return (this.#sending.get(key) ?? 0) >= this.maxInFlight;
  }

  /** Sends what waits under `key`, in sends of about `maxBatch`, as far as `maxInFlight` allows. */
  #flush(key: string): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    const group = this.#pending.get(key);
    if (!group || this.#busy(key)) return;
    // Whole callers only, so each caller's results come from one send.
    let taken = 0, count = 0;
    while (taken < group.callers.length && (taken === 0 || count < this.maxBatch)) {
      const next = group.callers[taken].items.length;
      if (taken > 0 && count + next > this.maxBatch) break;
      count += next;
      taken++;
    }
    const callers = group.callers.splice(0, taken);
    const items = group.items.splice(0, count);
    if (group.callers.length === 0) this.#pending.delete(key);
    this.#sending.set(key, (this.#sending.get(key) ?? 0) + 1);
    const sending = this.send(key, items).then((results) => {
      let start = 0;
      for (const caller of callers) {
        caller.resolve(results.slice(start, start + caller.items.length));
        start += caller.items.length;
      }
    }, (error) => {
      for (const caller of callers) caller.reject(error);
    }).finally(() => {
      this.#inFlight.delete(sending);
      this.#sending.set(key, this.#sending.get(key)! - 1);
      // What waited while this send was out has waited long enough.
      if (this.#pending.has(key)) this.#flush(key);
    });
    this.#inFlight.add(sending);
    const rest = this.#pending.get(key);
    if (!rest) return;
    // A backlog of full batches goes out as far as the in-flight bound allows; a partial one
    // lingers (or waits for a send to come back).
    if (rest.items.length >= this.maxBatch) this.#flush(key);
    else if (!this.#busy(key) && !this.#timers.has(key)) {
      this.#timers.set(key, setTimeout(() => this.#flush(key), this.lingerMs));
    }
  }
}

interface Caller<Result> {
  items: readonly unknown[];
  resolve: (results: Result[]) => void;
  reject: (error: unknown) => void;
}
