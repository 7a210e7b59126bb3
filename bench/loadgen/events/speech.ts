/**
 * Speech sessions: a voice assistant on one device hears utterances, recognises intents with a
 * confidence and slots, invokes a skill and answers, with the occasional misrecognition.
 *
 * @module
 */
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

/** Yields the events of one voice session (wake, 1 to 6 utterance/intent/response turns). */
export function* speechSession(ctx: GeneratorContext): Generator<Event> {
  const { random } = ctx;
  const platform = random.pick(["alexa", "google-assistant", "in-car"]);
  const session = startSession(ctx, Channel.SPEECH, platform, 0.8);
  const locale = random.pick(["en-US", "en-GB", "de-DE"]);
  const client = { libraryName: "@analytics/speech", libraryVersion: "0.1.0", locale };
  const speech = (fields: {
    intent?: string;
    confidence?: number;
    slots?: Record<string, string>;
    latencyMs?: number;
    skill?: string;
  }) => ({
    case: "speech" as const,
    value: {
      intent: fields.intent ?? "",
      confidence: fields.confidence ?? 0,
      slots: fields.slots ?? {},
      locale,
      responseLatencyMs: fields.latencyMs ?? 0,
      skill: fields.skill ?? "",
    },
  });

  yield sessionEvent(ctx, session, {
    resourceId: platform,
    client,
    eventType: "wake_word",
    eventCategory: "session",
    context: speech({}),
  });
  const turns = random.int(1, 6);
  for (let i = 0; i < turns; i++) {
    const u = random.pick(UTTERANCES);
    const misheard = random.chance(0.08);
    const confidence = misheard ? random.float(0.2, 0.55) : random.float(0.72, 0.99);
    const intent = misheard ? "Fallback" : u.intent;
    yield sessionEvent(ctx, session, {
      resourceId: u.skill,
      client,
      eventType: "utterance",
      eventCategory: "interaction",
      interactionText: u.text,
      interactionValue: confidence,
      context: speech({ confidence }),
    });
    yield sessionEvent(ctx, session, {
      resourceId: u.skill,
      client,
      eventType: "intent_recognized",
      eventCategory: "interaction",
      interactionTarget: intent,
      interactionValue: confidence,
      context: speech({
        intent,
        confidence,
        slots: misheard ? {} : { ...u.slots },
        skill: u.skill,
      }),
    });
    const latencyMs = Math.round(random.float(250, 1800));
    yield sessionEvent(ctx, session, {
      resourceId: u.skill,
      client,
      eventType: misheard ? "reprompt" : "response",
      eventCategory: "interaction",
      interactionTarget: intent,
      interactionValue: latencyMs,
      context: speech({ intent, confidence, latencyMs, skill: u.skill }),
    });
  }
}
