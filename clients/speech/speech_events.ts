/**
 * The events of a voice interface, as event fields: a voice command (the utterance), the intent
 * detected in it (intent, confidence, slots), the response with its latency, a no-match, an
 * error, and the end of the session; each with the speech context (intent, confidence, slots,
 * locale, latency, skill).
 *
 * An intent detected is an `intent_recognized` event, and so is a no-match: the recogniser
 * settled on its fallback intent (Alexa's `AMAZON.FallbackIntent`, Dialogflow's default fallback
 * intent), named `NoMatch` unless the platform's name is given. That is the convention the
 * dashboards count on (docs/dashboards.md): no-match rate = recognitions of an intent named like
 * `Fallback` or `NoMatch`.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { EventInit } from "@analytics/client-core";
import { type SpeechContext, SpeechContextSchema } from "@analytics/schema";

/** Free-form attributes of an event (JSON values). */
export type Properties = Record<string, unknown>;

/** What every event of one voice session shares. */
export interface VoiceSessionRef {
  /** The skill, action or app invoked. */
  skill?: string;
  /** Locale of the utterances, e.g. "en-US". */
  locale?: string;
  /** Whether utterances and spoken answers are recorded (`interaction_text`). Default true. */
  recordText?: boolean;
}

type SpeechFields = Partial<Omit<SpeechContext, "$typeName" | "$unknown">>;

function speech(ref: VoiceSessionRef, fields: SpeechFields): EventInit["context"] {
  return {
    case: "speech",
    value: create(SpeechContextSchema, {
      skill: ref.skill ?? "",
      locale: ref.locale ?? "",
      ...fields,
    }),
  };
}

const text = (ref: VoiceSessionRef, value = "") => ref.recordText === false ? "" : value;
const props = (properties?: Properties) => properties as EventInit["properties"];

function confidenceOf(value: number | undefined, field: string): number | undefined {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new RangeError(`${field} must be between 0 and 1, got ${value}`);
  }
  return value;
}

/** What the user said. */
export interface VoiceCommand {
  /** The transcription of what was said. */
  utterance: string;
  /** The speech recogniser's confidence in the transcription, 0 to 1. */
  confidence?: number;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The fields of voice_command (interaction value: the transcription confidence). */
export function voiceCommandEvent(ref: VoiceSessionRef, command: VoiceCommand): EventInit {
  const confidence = confidenceOf(command.confidence, "confidence");
  return {
    eventType: "voice_command",
    eventCategory: "interaction",
    resourceId: ref.skill ?? "",
    interactionText: text(ref, command.utterance),
    interactionValue: confidence,
    properties: props(command.properties),
    context: speech(ref, { confidence: confidence ?? 0 }),
  };
}

/** The intent the recogniser found. */
export interface IntentDetected {
  /** The intent's name, e.g. "GetWeather". */
  intent: string;
  /** 0 to 1. */
  confidence: number;
  /** Slot values by slot name, e.g. { city: "Berlin" }. */
  slots?: Record<string, string>;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The fields of intent_recognized (interaction value: the confidence). */
export function intentDetectedEvent(ref: VoiceSessionRef, detected: IntentDetected): EventInit {
  const confidence = confidenceOf(detected.confidence, "confidence")!;
  return {
    eventType: "intent_recognized",
    eventCategory: "interaction",
    resourceId: ref.skill ?? "",
    interactionTarget: detected.intent,
    interactionValue: confidence,
    properties: props(detected.properties),
    context: speech(ref, { intent: detected.intent, confidence, slots: { ...detected.slots } }),
  };
}

/** The assistant's answer. */
export interface VoiceResponse {
  /** Time from the end of the utterance to the answer, in ms. */
  latencyMs: number;
  /** The intent answered. */
  intent?: string;
  /** What the assistant said. */
  text?: string;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/** The fields of response (interaction value: the latency in ms). */
export function responseEvent(ref: VoiceSessionRef, response: VoiceResponse): EventInit {
  if (!(response.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be >= 0, got ${response.latencyMs}`);
  }
  return {
    eventType: "response",
    eventCategory: "interaction",
    resourceId: ref.skill ?? "",
    interactionTarget: response.intent ?? "",
    interactionText: text(ref, response.text),
    interactionValue: response.latencyMs,
    properties: props(response.properties),
    context: speech(ref, { intent: response.intent ?? "", responseLatencyMs: response.latencyMs }),
  };
}

/** A no-match: no intent but the fallback matched the utterance. */
export interface NoMatch {
  /** The transcription of what was said, when known. */
  utterance?: string;
  /** The best confidence the recogniser had, when known. */
  confidence?: number;
  /** The fallback intent's name on the platform. Default "NoMatch". */
  fallbackIntent?: string;
  /** Free-form attributes (JSON values). */
  properties?: Properties;
}

/**
 * The fields of a no-match: an intent_recognized of the fallback intent, flagged `no_match` in
 * its properties (interaction value: the best confidence, when known).
 */
export function noMatchEvent(ref: VoiceSessionRef, noMatch: NoMatch = {}): EventInit {
  const confidence = confidenceOf(noMatch.confidence, "confidence");
  const intent = noMatch.fallbackIntent ?? "NoMatch";
  return {
    eventType: "intent_recognized",
    eventCategory: "interaction",
    resourceId: ref.skill ?? "",
    interactionTarget: intent,
    interactionText: text(ref, noMatch.utterance),
    interactionValue: confidence,
    properties: props({ ...noMatch.properties, no_match: true }),
    context: speech(ref, { intent, confidence: confidence ?? 0 }),
  };
}

/** The fields of error: the code and message go to properties, the code is the target. */
export function errorEvent(
  ref: VoiceSessionRef,
  error: { code: string; message?: string; intent?: string; properties?: Properties },
): EventInit {
  return {
    eventType: "error",
    eventCategory: "system",
    resourceId: ref.skill ?? "",
    interactionTarget: error.code,
    properties: props({ ...error.properties, code: error.code, message: error.message ?? "" }),
    context: speech(ref, { intent: error.intent ?? "" }),
  };
}

/** The fields of session_end (interaction value: the session's length in ms). */
export function sessionEndEvent(
  ref: VoiceSessionRef,
  end: { reason?: string; durationMs?: number } = {},
): EventInit {
  return {
    eventType: "session_end",
    eventCategory: "session",
    resourceId: ref.skill ?? "",
    interactionTarget: end.reason ?? "",
    interactionValue: end.durationMs,
    context: speech(ref, {}),
  };
}
