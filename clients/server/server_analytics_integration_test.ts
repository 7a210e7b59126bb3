import assert from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { startLocalIngest } from "../testdata/local_ingest.ts";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { createServerAnalytics, SERVER_LIBRARY } from "./mod.ts";

Deno.test("server client: gRPC to a real ingest, the events read back from the hot store with their context", async () => {
  const pipeline = await startLocalPipeline("server");
  const dataDir = await Deno.makeTempDir({ prefix: "server-client-" });
  try {
    const rejected: string[] = [];
    const analytics = await createServerAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.grpcUrl,
      dataDir,
      onRejected: (r) => rejected.push(`${r.field}: ${r.reason}`),
    });
    const identify = await analytics.identify("u_42", { plan: "pro" });
    const order = analytics.track({
      eventType: "order_completed",
      userId: "u_42",
      resourceId: "order_981",
      interactionValue: 99.5,
      properties: { currency: "EUR", items: 3, coupon: null },
    });
    const renewal = analytics.track({ eventType: "subscription_renewed", userId: "u_7" });
    const invalid = analytics.track({ eventType: "x".repeat(200) });
    const stats = await analytics.shutdown();
    assert.deepEqual(rejected.length, 1, rejected.join("; "));
    assert.match(rejected[0], /^events\[3\]\.event_type: /);
    assert.equal(stats.accepted, 3);
    assert.equal(stats.queued, 0);

    const [storedIdentify, got, storedRenewal] = await pipeline.waitForEvents([
      identify.eventId,
      order.eventId,
      renewal.eventId,
    ]);
    assert.equal(await pipeline.storedCount(), 3, `the rejected ${invalid.eventId} is not stored`);
    assert.equal(storedIdentify.eventType, "identify");
    assert.equal(storedIdentify.userId, "u_42");
    assert.equal(storedIdentify.anonymousId, got.anonymousId);
    assert.deepEqual(storedIdentify.properties, { plan: "pro" });
    assert.equal(got.channel, Channel.SERVER);
    assert.equal(got.platform, "deno");
    assert.equal(got.eventType, "order_completed");
    assert.equal(got.eventCategory, "server");
    assert.equal(got.userId, "u_42");
    assert.equal(got.resourceId, "order_981");
    assert.equal(got.interactionValue, 99.5);
    assert.deepEqual(got.properties, { currency: "EUR", items: 3, coupon: null });
    assert.equal(got.client?.libraryName, SERVER_LIBRARY.name);
    assert.equal(got.enrichment?.source, "clients-test");
    assert.equal(got.sessionId, order.sessionId);
    assert.ok(got.sessionId.length > 0 && got.anonymousId.length > 0);
    assert.ok(got.sentAt && got.enrichment?.receivedAt);
    assert.equal(storedRenewal.userId, "u_7");
  } finally {
    await pipeline.dispose();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("server client: Connect and gRPC-web over fetch reach the same ingest", async () => {
  const ingest = await startLocalIngest("server");
  try {
    const sent: string[] = [];
    for (const protocol of ["connect", "grpc-web"] as const) {
      const analytics = await createServerAnalytics({
        writeKey: ingest.writeKey,
        url: ingest.httpUrl,
        protocol,
      });
      sent.push(analytics.track({ eventType: `via_${protocol}`, userId: "u_1" }).eventId);
      const stats = await analytics.shutdown();
      assert.equal(stats.accepted, 1, protocol);
    }
    await ingest.stop();
    const stored = await ingest.storedEvents();
    assert.deepEqual(stored.map((e) => e.eventId).sort(), sent.sort());
    assert.ok(stored.every((e) => e.channel === Channel.SERVER && e.userId === "u_1"));
  } finally {
    await ingest.dispose();
  }
});
