import assert from "node:assert/strict";
import { Channel, MessageRole } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";
import { CHAT_LIBRARY, createChatAnalytics } from "./mod.ts";

Deno.test("chat client: gRPC to a real ingest, a conversation read back from the hot store with its chat context", async () => {
  const pipeline = await startLocalPipeline("chat");
  try {
    const analytics = await createChatAnalytics({
      writeKey: pipeline.writeKey,
      url: pipeline.grpcUrl,
      platform: "whatsapp",
      botName: "ShopBot",
    });
    const conversation = analytics.startConversation({ userId: "wa_4915112345678" });
    const made = [
      conversation.started,
      conversation.userMessage({ text: "Do you ship to Norway?", messageId: "wamid.1" }),
      conversation.botResponse({
        text: "Yes, in 3-5 working days.",
        latencyMs: 740,
        intent: "shipping",
      }),
      conversation.buttonClick("talk_to_agent", { label: "Talk to a person" }),
      conversation.handoff({ to: "support_nordics", reason: "button" }),
      conversation.humanAgentMessage("Hei! Ingrid here."),
      conversation.end({ resolved: true, rating: 4 }),
    ];
    const stats = await analytics.shutdown();
    assert.equal(stats.accepted, made.length);

    const stored = await pipeline.waitForEvents(made.map((e) => e.eventId));
    assert.deepEqual(stored.map((e) => e.eventType), [
      "conversation_start",
      "user_message",
      "bot_response",
      "button_click",
      "handoff",
      "human_agent_message",
      "conversation_end",
    ]);
    for (const event of stored) {
      assert.equal(event.channel, Channel.CHAT);
      assert.equal(event.platform, "whatsapp");
      assert.equal(event.sessionId, conversation.conversationId);
      assert.equal(event.userId, "wa_4915112345678");
      assert.equal(event.client?.libraryName, CHAT_LIBRARY.name);
      assert.equal(event.context.case, "chat");
      assert.equal(event.context.value!.conversationId, conversation.conversationId);
      assert.equal(event.context.value!.botName, "ShopBot");
    }
    const chat = stored.map((e) => e.context.case === "chat" ? e.context.value : undefined);
    assert.equal(chat[1]?.messageRole, MessageRole.USER);
    assert.equal(chat[1]?.messageId, "wamid.1");
    assert.equal(chat[1]?.messageLength, "Do you ship to Norway?".length);
    assert.equal(stored[1].interactionText, "Do you ship to Norway?");
    assert.equal(chat[2]?.messageRole, MessageRole.BOT);
    assert.equal(chat[2]?.responseLatencyMs, 740);
    assert.equal(stored[2].interactionValue, 740);
    assert.equal(stored[3].interactionTarget, "talk_to_agent");
    assert.equal(stored[4].interactionTarget, "support_nordics");
    assert.deepEqual(stored[4].properties, { reason: "button" });
    assert.equal(chat[5]?.messageRole, MessageRole.HUMAN_AGENT);
    assert.deepEqual(stored[6].properties, { resolved: true, rating: 4 });
    assert.equal(await pipeline.storedCount(), made.length);
  } finally {
    await pipeline.dispose();
  }
});
