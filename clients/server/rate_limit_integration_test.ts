import assert from "node:assert/strict";
import { startLocalIngest } from "../testdata/local_ingest.ts";
import { createServerAnalytics } from "./mod.ts";

Deno.test("server client: events the ingest's rate limit leaves NOT_STORED are retried until stored, once each", async () => {
  const ingest = await startLocalIngest("server", { eventsPerSecond: 200, burst: 50 });
  try {
    const analytics = await createServerAnalytics({
      writeKey: ingest.writeKey,
      url: ingest.grpcUrl,
      maxBatchEvents: 100,
      backoff: { baseMs: 100, maxMs: 400 },
    });
    const made = Array.from(
      { length: 300 },
      (_, i) => analytics.track({ eventType: "export_row", userId: `u_${i}` }).eventId,
    );
    const first = await analytics.flush();
    assert.ok(first.accepted <= 100, `burst 50 (+ refill): ${first.accepted} accepted at first`);
    assert.ok(first.remaining > 0, "the rest was left NOT_STORED and waits for a retry");
    const stats = await analytics.shutdown({ timeoutMs: 20_000 });
    assert.equal(stats.queued, 0);
    assert.equal(stats.accepted, 300);
    assert.ok(stats.retries > 0);
    await ingest.stop();
    const stored = (await ingest.storedEvents()).map((e) => e.eventId);
    assert.equal(stored.length, 300);
    assert.deepEqual(stored.sort(), made.sort());
  } finally {
    await ingest.dispose();
  }
});
