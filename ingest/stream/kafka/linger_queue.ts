/**
 * Gathers the items of concurrent `add` calls for a topic into one send, for at most `lingerMs`
 * or until `maxBatch` items are waiting, then hands each caller the results of its own items.
 * This is the producer's `linger.ms`/`batch.size`: many small publishes become one request.
 */
export class LingerQueue<Item, Result> {
  readonly #pending = new Map<string, { items: Item[]; callers: Caller<Result>[] }>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #inFlight = new Set<Promise<void>>();

  /** Makes a queue that sends with `send`, which must return one result per item, in order. */
  constructor(
    private readonly send: (key: string, items: Item[]) => Promise<Result[]>,
    private readonly lingerMs: number,
    private readonly maxBatch: number,
  ) {}

  /** Queues `items` under `key`; resolves with their results once their batch was sent. */
  add(key: string, items: Item[]): Promise<Result[]> {
    return new Promise<Result[]>((resolve, reject) => {
      let group = this.#pending.get(key);
      if (!group) {
        group = { items: [], callers: [] };
        this.#pending.set(key, group);
      }
      group.callers.push({ start: group.items.length, count: items.length, resolve, reject });
      for (const item of items) group.items.push(item);
      if (group.items.length >= this.maxBatch) {
        this.#flush(key);
      } else if (!this.#timers.has(key)) {
        this.#timers.set(key, setTimeout(() => this.#flush(key), this.lingerMs));
      }
    });
  }

  /** Sends everything waiting now and resolves when every send in flight has finished. */
  async drain(): Promise<void> {
    for (const key of [...this.#pending.keys()]) this.#flush(key);
    await Promise.all([...this.#inFlight]);
  }

  #flush(key: string): void {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    const group = this.#pending.get(key);
    if (!group) return;
    this.#pending.delete(key);
    const sending = this.send(key, group.items).then((results) => {
      for (const caller of group.callers) {
        caller.resolve(results.slice(caller.start, caller.start + caller.count));
      }
    }, (error) => {
      for (const caller of group.callers) caller.reject(error);
    });
    this.#inFlight.add(sending);
    sending.finally(() => this.#inFlight.delete(sending));
  }
}

interface Caller<Result> {
  start: number;
  count: number;
  resolve: (results: Result[]) => void;
  reject: (error: unknown) => void;
}
