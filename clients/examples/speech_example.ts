/**
 * A weather skill on Alexa, as `@analytics/speech` records it from the skill's back end: the
 * user asks for tomorrow's weather in Berlin (intent with slots, an answer), mumbles something
 * that matches nothing (a no-match, then a reprompt), sets a timer whose service fails (an
 * error), and ends the session. Each response's latency is the time since the voice command.
 * gRPC to the ingest. Run `deno task dev`, then `deno task example:speech`.
 *
 * Prints one line per event and, at the end, `accepted=N rejected=M`.
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import { createSpeechAnalytics } from "@analytics/speech";
import { pause, readExampleEnv } from "./example_env.ts";

const env = await readExampleEnv();
const analytics = await createSpeechAnalytics({
  writeKey: env.writeKey,
  url: env.url,
  platform: "alexa",
  skill: "weather",
  locale: "en-US",
  onRejected: (r) => console.error(`rejected ${r.event.eventType}: ${r.field} ${r.reason}`),
});
const id = crypto.randomUUID();
const session = analytics.startSession({
  sessionId: `amzn1.echo-api.session.${id}`,
  userId: `amzn1.ask.account.${id.slice(0, 13)}`,
  deviceId: `amzn1.ask.device.${id.slice(-12)}`,
});
let made = 0;
const show = (event: Event) => {
  made++;
  const what = event.interactionTarget || event.interactionText;
  console.log(`${event.eventType.padEnd(18)} ${what.slice(0, 28).padEnd(28)} ${event.eventId}`);
};
const fulfil = () => pause(Math.max(env.paceMs, 1) * 2); // the skill calls its weather API

show(
  session.voiceCommand({ utterance: "what's the weather in Berlin tomorrow", confidence: 0.96 }),
);
show(session.intentDetected({
  intent: "GetWeather",
  confidence: 0.94,
  slots: { city: "Berlin", date: "tomorrow" },
}));
await fulfil();
show(session.response({ intent: "GetWeather", text: "Tomorrow in Berlin: sunny, 21 degrees." }));
await pause(env.paceMs);

show(session.voiceCommand({ utterance: "and what about the uh thing", confidence: 0.58 }));
show(session.noMatch({
  utterance: "and what about the uh thing",
  confidence: 0.27,
  fallbackIntent: "AMAZON.FallbackIntent",
}));
show(session.response({ intent: "AMAZON.FallbackIntent", text: "Sorry, which city?" }));
await pause(env.paceMs);

show(session.voiceCommand("set a timer for ten minutes"));
show(
  session.intentDetected({ intent: "SetTimer", confidence: 0.91, slots: { duration: "PT10M" } }),
);
await fulfil();
show(session.error({
  code: "timer_service_unavailable",
  message: "timers API answered 503",
  intent: "SetTimer",
}));
show(session.response({ intent: "SetTimer", text: "I couldn't set that timer, try again soon." }));
await pause(env.paceMs);
show(session.end("USER_INITIATED"));

const stats = await analytics.shutdown();
console.log(`accepted=${stats.accepted} rejected=${stats.rejected}`);
if (stats.accepted !== made) Deno.exit(1);
