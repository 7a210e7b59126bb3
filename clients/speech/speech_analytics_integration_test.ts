import assert from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { createSpeechAnalytics, SPEECH_LIBRARY } from "./mod.ts";

Deno.test("speech client: gRPC to a real ingest, a voice session read back from the hot store with its speech context", async () => {
  const pipeline = await startLocalPipeline("speech");
  try {
    const analytics = await createSpeechAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.grpcUrl,
      platform: "google",
      skill: "smart_home",
      locale: "en-GB",
    });
    const session = analytics.startSession({ userId: "g_user_1", deviceId: "nest_kitchen" });
    const made = [
      session.voiceCommand({ utterance: "turn off the kitchen lights", confidence: 0.95 }),
      session.intentDetected({
        intent: "TurnOffLight",
        confidence: 0.91,
        slots: { room: "kitchen" },
      }),
      session.response({ intent: "TurnOffLight", latencyMs: 410, text: "OK, lights off." }),
      session.voiceCommand("dim the hallway to thirty"),
      session.noMatch({
        utterance: "dim the hallway to thirty",
        confidence: 0.4,
        fallbackIntent: "Default Fallback Intent",
      }),
      session.error({ code: "device_offline", message: "hallway lamp unreachable" }),
      session.end("user_stopped"),
    ];
    const stats = await analytics.shutdown();
    assert.equal(stats.accepted, made.length);

    const stored = await pipeline.waitForEvents(made.map((e) => e.eventId));
    assert.deepEqual(stored.map((e) => e.eventType), made.map((e) => e.eventType));
    for (const event of stored) {
      assert.equal(event.channel, Channel.SPEECH);
      assert.equal(event.platform, "google");
      assert.equal(event.sessionId, session.sessionId);
      assert.equal(event.userId, "g_user_1");
      assert.equal(event.deviceId, "nest_kitchen");
      assert.equal(event.client?.libraryName, SPEECH_LIBRARY.name);
      assert.equal(event.client?.locale, "en-GB");
      assert.equal(event.context.case, "speech");
      assert.equal(event.context.value!.skill, "smart_home");
      assert.equal(event.context.value!.locale, "en-GB");
    }
    const speech = stored.map((e) => e.context.case === "speech" ? e.context.value : undefined);
    assert.equal(stored[0].interactionText, "turn off the kitchen lights");
    assert.equal(speech[0]?.confidence, 0.95);
    assert.equal(speech[1]?.intent, "TurnOffLight");
    assert.equal(speech[1]?.confidence, 0.91);
    assert.deepEqual(speech[1]?.slots, { room: "kitchen" });
    assert.equal(speech[2]?.responseLatencyMs, 410);
    assert.equal(stored[2].interactionText, "OK, lights off.");
    assert.equal(stored[4].interactionValue, 0.4);
    assert.equal(speech[4]?.intent, "Default Fallback Intent");
    assert.deepEqual(stored[4].properties, { no_match: true });
    assert.deepEqual(stored[5].properties, {
      code: "device_offline",
      message: "hallway lamp unreachable",
    });
    assert.equal(stored[6].interactionTarget, "user_stopped");
    assert.equal(await pipeline.storedCount(), made.length);
  } finally {
    await pipeline.dispose();
  }
});
