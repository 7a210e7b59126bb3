import assert from "node:assert/strict";
import { startLocalIngest } from "../testdata/local_ingest.ts";
import { createServerAnalytics } from "./mod.ts";

const TOTAL = 600;

Deno.test("server client: the ingest stops mid-run and restarts; every event arrives once", async () => {
  const ingest = await startLocalIngest("server");
  try {
    const errors: unknown[] = [];
    const analytics = await createServerAnalytics({
      writeKey: ingest.writeKey,
      url: ingest.grpcUrl,
      maxBatchEvents: 20,
      flushIntervalMs: 10,
      backoff: { baseMs: 20, maxMs: 200 },
      onError: (error) => errors.push(error),
      onRejected: (r) => errors.push(r),
    });
    const made: string[] = [];
    const sendSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        made.push(analytics.track({ eventType: "job_finished", userId: `u_${i % 17}` }).eventId);
        if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await sendSome(200);
    await ingest.stop(); // while batches are in flight or queued
    await sendSome(200); // refused connections: queued, retried with backoff
    const retriesWhileDown = analytics.core.stats.retries;
    await ingest.restart();
    await sendSome(200);
    const stats = await analytics.shutdown({ timeoutMs: 20_000 });
    await ingest.stop();

    assert.deepEqual(errors, []);
    assert.ok(retriesWhileDown > 0, "the client retried while the ingest was down");
    assert.equal(stats.queued, 0);
    assert.equal(stats.dropped, 0);
    assert.equal(stats.accepted, TOTAL);
    const stored = (await ingest.storedEvents()).map((e) => e.eventId);
    assert.equal(stored.length, TOTAL, "no event twice");
    assert.deepEqual([...stored].sort(), [...made].sort(), "every event once");
  } finally {
    await ingest.dispose();
  }
});
