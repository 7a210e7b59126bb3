/**
 * The speech client, for a voice app's back end (an Alexa skill, a Google action, a Siri
 * intent handler, a custom assistant): one `VoiceSession` per session of the platform, whose
 * events share its session id, user and device. A response's latency is measured from the last
 * voice command unless given. gRPC to the ingest by default.
 *
 * @module
 */
import type { AnalyticsClient, ClientStats, EventInit, FlushResult } from "@analytics/client-core";
import { openServerSideClient, type ServerSideOptions } from "@analytics/client-core/grpc";
import { Channel, type Event, uuidv7 } from "@analytics/schema";
import {
  errorEvent,
  type IntentDetected,
  intentDetectedEvent,
  type NoMatch,
  noMatchEvent,
  type Properties,
  responseEvent,
  sessionEndEvent,
  type VoiceCommand,
  voiceCommandEvent,
  type VoiceResponse,
  type VoiceSessionRef,
} from "./speech_events.ts";

/** The library name and version recorded on each event. */
export const SPEECH_LIBRARY = { name: "@analytics/speech", version: "0.1.0" } as const;

/** Voice platforms by their usual names; any other name is allowed. */
export type SpeechPlatform =
  | "alexa"
  | "google"
  | "siri"
  | "custom"
  | (string & Record<never, never>);

/** Options of createSpeechAnalytics; the core's tuning options pass through. */
export interface SpeechAnalyticsOptions extends ServerSideOptions {
  /** The voice platform. */
  platform: SpeechPlatform;
  /** The skill, action or app these sessions belong to. */
  skill?: string;
  /** Default locale of the utterances, e.g. "en-US". */
  locale?: string;
  /** Record utterances and spoken answers (default true); false keeps none of the text. */
  recordText?: boolean;
}

/** A voice session to start. */
export interface VoiceSessionStart {
  /** The platform's session id (Alexa's `session.sessionId`). Default: a new UUIDv7. */
  sessionId?: string;
  /** The platform's user id, when known. */
  userId?: string;
  /** The platform's device id, when known. */
  deviceId?: string;
  /** This session's locale, when it differs from the client's. */
  locale?: string;
}

/** One voice session: its events share its session id, user and device. */
export class VoiceSession {
  /** The platform's session id (or a new UUIDv7), the session id of its events. */
  readonly sessionId: string;
  readonly #ref: VoiceSessionRef;
  readonly #track: (fields: EventInit) => Event;
  readonly #now: () => number;
  readonly #startedAt: number;
  #lastCommandAt?: number;

  /** Starts a session; use SpeechAnalytics.startSession. */
  constructor(
    client: AnalyticsClient,
    options: SpeechAnalyticsOptions,
    start: VoiceSessionStart,
    now: () => number,
  ) {
    this.sessionId = start.sessionId ?? uuidv7();
    const locale = start.locale ?? options.locale ?? "";
    this.#ref = { skill: options.skill, locale, recordText: options.recordText };
    this.#track = (fields) =>
      client.track({
        ...fields,
        sessionId: this.sessionId,
        userId: start.userId ?? "",
        deviceId: start.deviceId ?? "",
        client: { locale },
      });
    this.#now = now;
    this.#startedAt = now();
  }

  /** Records what the user said; the next response's latency counts from here. */
  voiceCommand(command: VoiceCommand | string): Event {
    this.#lastCommandAt = this.#now();
    const init = typeof command === "string" ? { utterance: command } : command;
    return this.#track(voiceCommandEvent(this.#ref, init));
  }

  /** Records the intent recognised (intent, confidence, slots). */
  intentDetected(detected: IntentDetected): Event {
    return this.#track(intentDetectedEvent(this.#ref, detected));
  }

  /** Records the answer; `latencyMs` defaults to the time since the last voice command. */
  response(response: Partial<VoiceResponse> = {}): Event {
    const latencyMs = response.latencyMs ??
      (this.#lastCommandAt === undefined ? 0 : this.#now() - this.#lastCommandAt);
    return this.#track(responseEvent(this.#ref, { ...response, latencyMs }));
  }

  /** Records that no intent but the fallback matched the utterance. */
  noMatch(details: NoMatch = {}): Event {
    return this.#track(noMatchEvent(this.#ref, details));
  }

  /** Records an error (a failed fulfilment, a timeout) by its code. */
  error(
    error: { code: string; message?: string; intent?: string; properties?: Properties },
  ): Event {
    return this.#track(errorEvent(this.#ref, error));
  }

  /** Records session_end with the session's length; `reason` as the platform gives it. */
  end(reason?: string): Event {
    return this.#track(
      sessionEndEvent(this.#ref, { reason, durationMs: this.#now() - this.#startedAt }),
    );
  }
}

/** The speech analytics client. */
export class SpeechAnalytics {
  /** The shared client underneath, for stats. */
  readonly core: AnalyticsClient;
  readonly #options: SpeechAnalyticsOptions;
  readonly #now: () => number;

  /** Wraps an opened core client; use createSpeechAnalytics. */
  constructor(core: AnalyticsClient, options: SpeechAnalyticsOptions) {
    this.core = core;
    this.#options = options;
    this.#now = () => options.scheduler?.now() ?? Date.now();
  }

  /** Starts following a voice session (no event until the first call on it). */
  startSession(start: VoiceSessionStart = {}): VoiceSession {
    return new VoiceSession(this.core, this.#options, start, this.#now);
  }

  /** Sends what is queued now. */
  flush(): Promise<FlushResult> {
    return this.core.flush();
  }

  /** Sends what is left (retrying up to `timeoutMs`), then closes the connection. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats> {
    return this.core.shutdown(options);
  }
}

/** Opens a speech client; sends any events a previous run left in `dataDir`. */
export async function createSpeechAnalytics(
  options: SpeechAnalyticsOptions,
): Promise<SpeechAnalytics> {
  const { platform, skill: _s, locale: _l, recordText: _r, ...common } = options;
  const core = await openServerSideClient(common, {
    channel: Channel.SPEECH,
    platform,
    library: SPEECH_LIBRARY,
  });
  return new SpeechAnalytics(core, options);
}
