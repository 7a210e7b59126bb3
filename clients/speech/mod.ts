/**
 * `@analytics/speech`: voice assistant analytics from a skill's or action's back end: voice
 * commands, intents (confidence, slots), responses with their latency, no-matches, errors.
 *
 * @example
 * ```ts ignore
 * import { createSpeechAnalytics } from "@analytics/speech";
 * const analytics = await createSpeechAnalytics({ writeKey: "wk_...", platform: "alexa", skill: "weather" });
 * const session = analytics.startSession({ sessionId: request.session.sessionId, locale: "en-US" });
 * session.voiceCommand("what's the weather in Berlin tomorrow");
 * session.intentDetected({ intent: "GetWeather", confidence: 0.93, slots: { city: "Berlin" } });
 * session.response({ intent: "GetWeather", text: "Sunny, 21 degrees." });
 * await analytics.shutdown();
 * ```
 *
 * @module
 */
export * from "./speech_analytics.ts";
export * from "./speech_events.ts";
