/**
 * In-process news from the publisher to consumers of the same `LocalLog`: the durable end of
 * each partition (consumers never read past it) and a wake-up after every acknowledged batch.
 * Consumers in another process do without it: they poll the files and rely on the CRC.
 */
export class AppendSignal {
  #ends = new Map<string, bigint>();
  #waiters = new Set<() => void>();

  /** The offset after the last acknowledged record of a partition, when a writer here knows it. */
  durableEnd(topic: string, partition: number): bigint | undefined {
    return this.#ends.get(`${topic}/${partition}`);
  }

  /** Records that a partition's records before `end` are acknowledged. */
  setDurableEnd(topic: string, partition: number, end: bigint): void {
    this.#ends.set(`${topic}/${partition}`, end);
  }

  /** Wakes every waiting consumer. */
  notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next `notify`, or after `ms` milliseconds. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
    });
  }
}
