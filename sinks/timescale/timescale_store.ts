/** The hot store as a `SinkStore`: batches go to an `EventLoader`, exactly once by table key. */
import { failpoint } from "../../ingest/failpoints/mod.ts";
import type { SinkBatch, SinkStore } from "../loop/sink_store.ts";
import type { EventLoader } from "./load/event_loader.ts";
import { isTransientPostgresError } from "./transient_error.ts";

/** Writes sink batches into `analytics_events` through a loader. */
export class TimescaleStore implements SinkStore {
  readonly name = "timescale";
  /** Rows inserted since start (a redelivered batch adds none). */
  inserted = 0;

  /** Stores through `loader` (closed by `close`). */
  constructor(private readonly loader: EventLoader) {}

  /** Loads the batch's events; new rows only. */
  async write(batch: SinkBatch): Promise<void> {
    this.inserted += await this.loader.load(batch.records.map((r) => r.event));
    // The transaction committed; the loop commits the offsets after this returns.
    failpoint("timescale.after-insert-before-offset-commit");
  }

  /** Lost connections, a stopping server and serialization conflicts are retried. */
  isTransient(error: unknown): boolean {
    return isTransientPostgresError(error);
  }

  /** Closes the loader. */
  async close(): Promise<void> {
    await this.loader.close();
  }
}
