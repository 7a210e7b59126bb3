import assert from "node:assert/strict";
import { Channel, type Event } from "@analytics/schema";
import { openRecordingClient } from "../testdata/recording_ingest.ts";
import { SpeechAnalytics, type SpeechAnalyticsOptions } from "./speech_analytics.ts";
import { intentDetectedEvent, voiceCommandEvent } from "./speech_events.ts";

const OPTIONS: SpeechAnalyticsOptions = {
  writeKey: "unused",
  platform: "alexa",
  skill: "weather",
  locale: "en-US",
};

async function openSpeech(more: Partial<SpeechAnalyticsOptions> = {}) {
  const ingest = await openRecordingClient(Channel.SPEECH, { platform: "alexa" });
  const speech = new SpeechAnalytics(ingest.client, {
    ...OPTIONS,
    scheduler: ingest.scheduler,
    ...more,
  });
  return { ingest, speech };
}

const speechOf = (event: Event) => {
  assert.equal(event.context.case, "speech");
  return event.context.value!;
};

Deno.test("speech: command, intent with slots, response with latency, no-match, error, end", async () => {
  const { ingest, speech } = await openSpeech();
  const session = speech.startSession({
    sessionId: "amzn1.echo-api.session.0001",
    userId: "amzn1.ask.account.U1",
    deviceId: "amzn1.ask.device.D1",
  });
  session.voiceCommand({ utterance: "what's the weather in Berlin tomorrow", confidence: 0.97 });
  session.intentDetected({
    intent: "GetWeather",
    confidence: 0.93,
    slots: { city: "Berlin", date: "2026-11-29" },
  });
  await ingest.scheduler.advance(640);
  session.response({ intent: "GetWeather", text: "Tomorrow in Berlin: sunny, 21 degrees." });
  session.voiceCommand("play something");
  session.noMatch({ utterance: "play something", confidence: 0.31 });
  session.error({
    code: "fulfilment_timeout",
    message: "weather API took 8 s",
    intent: "GetWeather",
  });
  await ingest.scheduler.advance(10_000);
  session.end("USER_INITIATED");
  await speech.shutdown();

  assert.deepEqual(ingest.rejected, []);
  const got = ingest.accepted;
  assert.deepEqual(got.map((e) => e.eventType), [
    "voice_command",
    "intent_recognized",
    "response",
    "voice_command",
    "intent_recognized",
    "error",
    "session_end",
  ]);
  for (const event of got) {
    assert.equal(event.channel, Channel.SPEECH);
    assert.equal(event.platform, "alexa");
    assert.equal(event.sessionId, "amzn1.echo-api.session.0001");
    assert.equal(event.userId, "amzn1.ask.account.U1");
    assert.equal(event.deviceId, "amzn1.ask.device.D1");
    assert.equal(event.client?.locale, "en-US");
    assert.equal(speechOf(event).skill, "weather");
    assert.equal(speechOf(event).locale, "en-US");
  }
  const [command, intent, response, , noMatch, error, end] = got;
  assert.equal(command.interactionText, "what's the weather in Berlin tomorrow");
  assert.equal(command.interactionValue, 0.97);
  assert.equal(intent.interactionTarget, "GetWeather");
  assert.equal(speechOf(intent).intent, "GetWeather");
  assert.equal(speechOf(intent).confidence, 0.93);
  assert.deepEqual(speechOf(intent).slots, { city: "Berlin", date: "2026-11-29" });
  assert.equal(speechOf(response).responseLatencyMs, 640, "time since the voice command");
  assert.equal(response.interactionValue, 640);
  assert.equal(response.interactionText, "Tomorrow in Berlin: sunny, 21 degrees.");
  assert.equal(noMatch.interactionValue, 0.31);
  assert.equal(speechOf(noMatch).intent, "NoMatch", "a fallback intent, as the dashboards count");
  assert.equal(noMatch.interactionText, "play something");
  assert.deepEqual(noMatch.properties, { no_match: true });
  assert.equal(error.eventCategory, "system");
  assert.equal(error.interactionTarget, "fulfilment_timeout");
  assert.deepEqual(error.properties, {
    code: "fulfilment_timeout",
    message: "weather API took 8 s",
  });
  assert.equal(end.interactionTarget, "USER_INITIATED");
  assert.equal(end.interactionValue, 10_640);
});

Deno.test("speech: a session's own locale wins; recordText false drops utterances", async () => {
  const { ingest, speech } = await openSpeech({ recordText: false });
  const session = speech.startSession({ locale: "de-DE" });
  session.voiceCommand("wie wird das Wetter morgen");
  session.response({ text: "Sonnig.", latencyMs: 500 });
  await speech.shutdown();
  assert.ok(ingest.accepted.every((e) => e.interactionText === ""));
  assert.ok(ingest.accepted.every((e) => speechOf(e).locale === "de-DE"));
  assert.ok(ingest.accepted.every((e) => e.sessionId === session.sessionId));
});

Deno.test("speech: a confidence outside [0, 1] is refused, naming the field", () => {
  assert.throws(() => voiceCommandEvent({}, { utterance: "x", confidence: 1.5 }), /confidence/);
  assert.throws(
    () => intentDetectedEvent({}, { intent: "I", confidence: Number.NaN }),
    /confidence must be between 0 and 1/,
  );
});
