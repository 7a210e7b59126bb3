import { deepEqual, equal } from "node:assert/strict";
import { MetricsRegistry } from "../../ingest/observability/metrics_registry.ts";
import { sampleBatch } from "../delta/testkit/events.ts";
import type { SinkBatch, SinkStore } from "./sink_store.ts";
import { SuppressingStore } from "./suppressing_store.ts";

Deno.test("SuppressingStore drops suppressed events, keeps the batch's offsets, counts by sink", async () => {
  const written: SinkBatch[] = [];
  const inner: SinkStore = {
    name: "memory",
    write: (batch) => {
      written.push(batch);
      return Promise.resolve();
    },
    isTransient: () => false,
    close: () => Promise.resolve(),
  };
  const suppressed = new Set(["u-3", "anon-9"]);
  const registry = new MetricsRegistry();
  const store = new SuppressingStore(inner, {
    fieldOf: (e) =>
      suppressed.has(e.userId)
        ? "user_id"
        : suppressed.has(e.anonymousId)
        ? "anonymous_id"
        : undefined,
  }, registry.counter("analytics_sink_suppressed_total", "test"));
  const batch = sampleBatch(26); // users u-0 … u-12, twice each
  batch.records[0].event.anonymousId = "anon-9";
  await store.write(batch);
  const kept = written[0].records.map((r) => r.event);
  // Two events of u-3, and the first event (u-0) by its anonymous id.
  equal(kept.length, 23);
  equal(kept.some((e) => e.userId === "u-3" || e.anonymousId === "anon-9"), false);
  deepEqual(written[0].lastOffsets, batch.lastOffsets);
  equal(store.suppressed, 3);
  equal(
    registry.render().includes('analytics_sink_suppressed_total{sink="memory"} 3'),
    true,
    registry.render(),
  );
});
