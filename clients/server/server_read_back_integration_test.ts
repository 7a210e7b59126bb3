import assert from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { createServerAnalytics, SERVER_LIBRARY } from "./mod.ts";

Deno.test("server client: gRPC to a real ingest, the events read back from the hot store", async () => {
  const pipeline = await startLocalPipeline("server");
  try {
    const analytics = await createServerAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.grpcUrl,
    });
    const identify = await analytics.identify("u_42", { plan: "pro" });
    const order = analytics.track({
      eventType: "order_completed",
      userId: "u_42",
      resourceId: "order_981",
      interactionValue: 99.5,
      properties: { currency: "EUR", items: 3 },
    });
    const stats = await analytics.shutdown();
    assert.equal(stats.accepted, 2);

    const [storedIdentify, storedOrder] = await pipeline.waitForEvents([
      identify.eventId,
      order.eventId,
    ]);
    assert.equal(storedIdentify.eventType, "identify");
    assert.equal(storedIdentify.anonymousId, identify.anonymousId);
    assert.deepEqual(storedIdentify.properties, { plan: "pro" });
    assert.equal(storedOrder.channel, Channel.SERVER);
    assert.equal(storedOrder.platform, "deno");
    assert.equal(storedOrder.eventCategory, "server");
    assert.equal(storedOrder.userId, "u_42");
    assert.equal(storedOrder.resourceId, "order_981");
    assert.equal(storedOrder.interactionValue, 99.5);
    assert.deepEqual(storedOrder.properties, { currency: "EUR", items: 3 });
    assert.equal(storedOrder.client?.libraryName, SERVER_LIBRARY.name);
    assert.equal(storedOrder.sessionId, order.sessionId);
    assert.equal(await pipeline.storedCount(), 2);
  } finally {
    await pipeline.dispose();
  }
});
