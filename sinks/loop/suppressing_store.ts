import type { Counter } from "../../ingest/observability/metrics_registry.ts";
import type { SuppressionList } from "../../ingest/suppression/mod.ts";
import type { SinkBatch, SinkStore } from "./sink_store.ts";

/**
 * A store that drops events carrying a suppressed id (a deleted user, or an anonymous id linked
 * to one) before the wrapped store writes the batch: events the ingest published before it read
 * the suppression, a lagging sink, or a replay. The batch's `lastOffsets` are kept, so the
 * positions still advance past the dropped records.
 */
export class SuppressingStore implements SinkStore {
  /** Events dropped so far. */
  suppressed = 0;

  /** Wraps `inner`; `counter` (by sink) counts what is dropped. */
  constructor(
    private readonly inner: SinkStore,
    private readonly list: Pick<SuppressionList, "fieldOf">,
    private readonly counter?: Counter,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  resumePositions(partitions: number[]): Promise<Map<number, bigint>> {
    return this.inner.resumePositions?.(partitions) ?? Promise.resolve(new Map());
  }

  async write(batch: SinkBatch): Promise<void> {
    const records = batch.records.filter((r) => this.list.fieldOf(r.event) === undefined);
    const dropped = batch.records.length - records.length;
    await this.inner.write(dropped === 0 ? batch : { records, lastOffsets: batch.lastOffsets });
    if (dropped > 0) {
      this.suppressed += dropped;
      this.counter?.add(dropped, { sink: this.inner.name });
    }
  }

  isTransient(error: unknown): boolean {
    return this.inner.isTransient(error);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
