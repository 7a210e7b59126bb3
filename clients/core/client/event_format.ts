/**
 * What the client needs to know about one representation of events (Protobuf messages sent
 * through a Connect transport, or Connect JSON objects sent with plain fetch): how to make one,
 * store it, size it and send a batch of them to `IngestService.Track`.
 *
 * @module
 */
import type { EventCodec } from "../queue/bounded_queue.ts";

/** The ingest's verdict on one event of a batch. */
export type EventOutcome = "accepted" | "rejected" | "not_stored";

/** One entry of `Track`'s answer. */
export interface EventResult {
  /** Position in the batch. */
  index: number;
  outcome: EventOutcome;
  /** Offending field path, for rejected events. */
  field: string;
  reason: string;
}

/** The ids an event gets when its init leaves them empty. */
export interface EventIds {
  /** The session id (called only when the init has none: it counts as activity). */
  sessionId(): string;
  anonymousId: string;
  userId: string;
}

/** Options of one `send`. */
export interface SendOptions {
  /** Deadline of the call. */
  timeoutMs: number;
  /**
   * The page is going away: send so the request outlives it (fetch `keepalive`, the key in the
   * query string). The answer may never come.
   */
  keepalive?: boolean;
}

/** One event representation `E`, made from `I`, and the way it travels to the ingest. */
export interface EventFormat<E, I> extends EventCodec<E> {
  /**
   * A new event from `init` with its id (UUIDv7) and time fixed at `nowMs`, never at send time,
   * and the channel, platform, library and `ids` filled where `init` leaves them empty.
   */
  create(init: I, nowMs: number, ids: EventIds): E;
  /** The init of an `identify` event linking the anonymous id to `userId`. */
  identifyInit(userId: string, traits: Record<string, unknown>): I;
  /**
   * Sends `events` (stamping `sent_at` on the request and each event) and resolves with the
   * per-event results; rejects when the call failed (a `ConnectError`, or a network error).
   */
  send(events: E[], sentAtMs: number, options: SendOptions): Promise<EventResult[]>;
  /** Releases connections. */
  close(): void;
}
