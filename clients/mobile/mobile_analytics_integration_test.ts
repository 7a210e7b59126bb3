import assert from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { createMobileAnalytics, MOBILE_LIBRARY } from "./mod.ts";

const DEVICE = {
  osName: "Android",
  osVersion: "14",
  appVersion: "4.12.0",
  appBuild: "4120",
  deviceModel: "Pixel 8",
  deviceManufacturer: "Google",
  network: "wifi",
};

Deno.test("mobile client: Connect over fetch to a real ingest, read back from the hot store with the mobile context", async () => {
  const pipeline = await startLocalPipeline("mobile");
  try {
    const analytics = await createMobileAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.httpUrl,
      device: DEVICE,
      deviceId: "android-id-7",
      locale: "de-DE",
      timezone: "Europe/Berlin",
    });
    const made = [
      analytics.screen("Home"),
      analytics.tap("category_jackets", { label: "Jackets" }),
      analytics.screen("ProductDetail", { title: "City Jacket" }),
      analytics.swipe("left", { target: "image_gallery", distance: 320 }),
      analytics.background()!,
      analytics.foreground()!,
      analytics.track({ eventType: "add_to_cart", interactionValue: 129.9 }),
    ];
    const stats = await analytics.shutdown();
    assert.equal(stats.accepted, made.length);

    const stored = await pipeline.waitForEvents(made.map((e) => e.eventId));
    assert.deepEqual(stored.map((e) => e.eventType), made.map((e) => e.eventType));
    for (const [i, event] of stored.entries()) {
      assert.equal(event.channel, Channel.MOBILE);
      assert.equal(event.platform, "android");
      assert.equal(event.sessionId, made[i].sessionId);
      assert.equal(event.anonymousId, made[i].anonymousId);
      assert.equal(event.deviceId, "android-id-7");
      assert.equal(event.client?.libraryName, MOBILE_LIBRARY.name);
      assert.equal(event.client?.clientVersion, "4.12.0");
      assert.equal(event.client?.locale, "de-DE");
      assert.equal(event.client?.timezone, "Europe/Berlin");
      assert.equal(event.enrichment?.source, "clients-test");
      assert.equal(event.context.case, "mobile");
      const { screenName, $typeName: _, ...device } = event.context.value!;
      assert.deepEqual(device, DEVICE);
      assert.equal(screenName, i < 2 ? "Home" : "ProductDetail");
    }
    assert.equal(stored[1].interactionTarget, "category_jackets");
    assert.equal(stored[2].resourceTitle, "City Jacket");
    assert.equal(stored[3].interactionValue, 320);
    assert.deepEqual(stored[3].properties, { direction: "left" });
    assert.equal(stored[6].interactionValue, 129.9);
    const session = await pipeline.query.getSession({ sessionId: made[0].sessionId });
    assert.deepEqual(session.events.map((e) => e.eventId), made.map((e) => e.eventId));
  } finally {
    await pipeline.dispose();
  }
});
