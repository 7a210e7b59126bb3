/**
 * Speech sessions: a voice assistant on one device hears voice commands, recognises intents with
 * a confidence and slots, invokes a skill and answers, with the occasional no-match (the fallback
 * intent) and reprompt. The event shapes are the speech client's (@analytics/speech).
 *
 * @module
 */
import {
  intentDetectedEvent,
  noMatchEvent,
  responseEvent,
  sessionEndEvent,
  voiceCommandEvent,
} from "@analytics/speech";
import { Channel, type Event } from "@analytics/schema";
import { type GeneratorContext, sessionEvent, startSession } from "./session.ts";

const UTTERANCES = [
  {
    text: "what's the weather in Berlin tomorrow",
    intent: "GetWeather",
    skill: "weather",
    slots: { city: "Berlin", date: "tomorrow" },
  },
  {
    text: "set a timer for ten minutes",
    intent: "SetTimer",
    skill: "timers",
    slots: { duration: "PT10M" },
  },
  { text: "play some jazz", intent: "PlayMusic", skill: "music", slots: { genre: "jazz" } },
  {
    text: "add milk to my shopping list",
    intent: "AddToList",
    skill: "lists",
    slots: { item: "milk", list: "shopping" },
  },
  { text: "where is my package", intent: "TrackOrder", skill: "shop", slots: {} },
  {
    text: "turn off the kitchen lights",
    intent: "TurnOffLight",
    skill: "smart_home",
    slots: { room: "kitchen" },
  },
] as const;

/** Yields the events of one voice session (1 to 6 command/intent/response turns, the end). */
export function* speechSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const platform = random.pick(["alexa", "google", "siri", "custom"]);
  const session = startSession(ctx, Channel.SPEECH, platform, 0.8);
  const locale = random.pick(["en-US", "en-GB", "de-DE"]);
  const client = { libraryName: "@analytics/speech", libraryVersion: "0.1.0", locale };

  const turns = random.int(1, 6);
  for (let i = 0; i < turns; i++) {
    const u = random.pick(UTTERANCES);
    const ref = { skill: u.skill, locale };
    const misheard = random.chance(0.08);
    yield sessionEvent(ctx, session, {
      ...voiceCommandEvent(ref, { utterance: u.text, confidence: random.float(0.6, 0.99) }),
      client,
    });
    const latencyMs = Math.round(random.float(250, 1800));
    if (misheard) {
      const confidence = random.float(0.2, 0.55);
      yield sessionEvent(ctx, session, {
        ...noMatchEvent(ref, { utterance: u.text, confidence }),
        client,
      });
      yield sessionEvent(ctx, session, {
        ...responseEvent(ref, { intent: "NoMatch", latencyMs, text: "Sorry, could you repeat?" }),
        client,
      });
      continue;
    }
    const confidence = random.float(0.72, 0.99);
    yield sessionEvent(ctx, session, {
      ...intentDetectedEvent(ref, { intent: u.intent, confidence, slots: { ...u.slots } }),
      client,
    });
    yield sessionEvent(ctx, session, {
      ...responseEvent(ref, { intent: u.intent, latencyMs }),
      client,
    });
  }
  yield sessionEvent(ctx, session, {
    ...sessionEndEvent({ locale }, { reason: "USER_INITIATED" }),
    client,
  });
}
