/** One embedded log folder: hands out its single publisher and any number of consumers. */
import { AppendSignal } from "./append_signal.ts";
import { ensureDir } from "./layout.ts";
import { LocalConsumer, type LocalConsumerOptions } from "./local_consumer.ts";
import { LocalPublisher } from "./local_publisher.ts";
import { type LocalLogOptions, type ResolvedLocalLogOptions, resolveOptions } from "./options.ts";
import { acquireWriterLock } from "./writer_lock.ts";

/** An open embedded log; consumers opened here are woken by its publisher's appends. */
export class LocalLog {
  readonly #signal = new AppendSignal();
  #publisher: LocalPublisher | undefined;
  readonly #consumers = new Set<LocalConsumer>();

  /** Use `openLocalLog`. */
  constructor(readonly options: ResolvedLocalLogOptions) {}

  /**
   * The log's publisher, opened on first call. It takes the folder's writer lock, so a second
   * writer (another process, or another `LocalLog` on the same folder) fails with a clear error.
   */
  async publisher(): Promise<LocalPublisher> {
    if (!this.#publisher) {
      const lock = await acquireWriterLock(this.options.dir);
      this.#publisher = new LocalPublisher(this.options, lock, this.#signal);
    }
    return this.#publisher;
  }

  /** Opens a consumer of `topic` for `group`, resuming from the group's committed offsets. */
  async consumer(options: LocalConsumerOptions): Promise<LocalConsumer> {
    const consumer = await LocalConsumer.open(this.options, options, this.#signal);
    this.#consumers.add(consumer);
    return consumer;
  }

  /** Closes every consumer and the publisher (which fsyncs and releases the lock). */
  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()));
    this.#consumers.clear();
    await this.#publisher?.close();
    this.#publisher = undefined;
  }
}

/** Opens (creating when absent) the embedded log in `options.dir`. */
export async function openLocalLog(options: LocalLogOptions): Promise<LocalLog> {
  const resolved = resolveOptions(options);
  await ensureDir(resolved.dir);
  return new LocalLog(resolved);
}
