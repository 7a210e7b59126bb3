import type { Event } from "@analytics/schema";
import type { Logger } from "../observability/logger.ts";
import { suppressedField, type SuppressionEntry } from "./suppression_entry.ts";
import type { SuppressionLog } from "./suppression_log.ts";

/** Options of `SuppressionList.open`. */
export interface SuppressionListOptions {
  /** Milliseconds between reads of new entries once caught up. Default 500. */
  tailIntervalMs?: number;
  /** Longest wait for the catch-up read at open. Default 60 s. */
  catchUpTimeoutMs?: number;
  /** Where tail errors are logged (the list keeps what it has and retries). */
  logger?: Logger;
}

/**
 * The ids whose events are refused or dropped, read from a `SuppressionLog` shared by every
 * process: `open` reads the whole log before it returns, then a background loop adds entries
 * appended later (by this or any other process) every `tailIntervalMs`.
 */
export class SuppressionList {
  readonly #entries = new Map<string, SuppressionEntry>();
  readonly #log: SuppressionLog;
  readonly #interval: number;
  readonly #logger: Logger | undefined;
  #tail: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;

  private constructor(log: SuppressionLog, options: SuppressionListOptions) {
    this.#log = log;
    this.#interval = options.tailIntervalMs ?? 500;
    this.#logger = options.logger;
  }

  /** Reads every entry of `log` (until caught up), then keeps tailing it. */
  static async open(
    log: SuppressionLog,
    options: SuppressionListOptions = {},
  ): Promise<SuppressionList> {
    const list = new SuppressionList(log, options);
    const deadline = Date.now() + (options.catchUpTimeoutMs ?? 60_000);
    for (;;) {
      const { entries, caughtUp } = await log.readNew();
      list.#add(entries);
      if (caughtUp) break;
      if (Date.now() > deadline) {
        throw new Error("the suppression list did not catch up with its log in time");
      }
    }
    list.#tail = list.#tailLoop();
    return list;
  }

  /** Number of suppressed ids. */
  get size(): number {
    return this.#entries.size;
  }

  /** True when events carrying `id` must not be stored. */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The field of `event` carrying a suppressed id, or undefined. */
  fieldOf(event: Pick<Event, "userId" | "anonymousId">): "user_id" | "anonymous_id" | undefined {
    return suppressedField(event, (id) => this.#entries.has(id));
  }

  /** Every entry, oldest first. */
  entries(): SuppressionEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.at - b.at);
  }

  /** Durably appends entries to the log and adds them here at once (others see them on tail). */
  async add(entries: readonly SuppressionEntry[]): Promise<void> {
    await this.#log.append(entries);
    this.#add(entries);
  }

  /** Reads what was appended since the last read now, instead of waiting for the tail loop. */
  async refresh(): Promise<void> {
    const { entries } = await this.#log.readNew();
    this.#add(entries);
  }

  /** Stops tailing and closes the log. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#tail;
    await this.#log.close();
  }

  #add(entries: readonly SuppressionEntry[]): void {
    for (const entry of entries) {
      if (!this.#entries.has(entry.id)) this.#entries.set(entry.id, entry);
    }
  }

  async #tailLoop(): Promise<void> {
    while (!this.#stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#interval);
        const wake = () => done();
        this.#wake = wake;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      if (this.#stopped) break;
      try {
        await this.refresh();
      } catch (error) {
        this.#logger?.warn("reading the suppression list failed; retrying", { error });
      }
    }
  }
}
