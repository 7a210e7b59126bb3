/**
 * What every channel's session shares: the identity reused across its events, a clock that never
 * runs backwards within the session, and the event envelope.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Channel, type Event, EventSchema, uuidv7 } from "@analytics/schema";
import type { Random } from "./random.ts";

/** What a session generator needs: randomness and a clock (milliseconds since the epoch). */
export interface GeneratorContext {
  random: Random;
  now: () => number;
}

/** The ids one session reuses on each of its events. */
export interface SessionIdentity {
  sessionId: string;
  /** Empty for anonymous visitors. */
  userId: string;
  anonymousId: string;
  deviceId: string;
}

/** A running session: its identity and the time of its last event. */
export interface Session extends SessionIdentity {
  channel: Channel;
  platform: string;
  lastTimeMs: number;
}

/** Fields of an event other than its envelope (id, channel, platform, ids, timestamp). */
export type EventFields = Omit<
  Exclude<MessageInitShape<typeof EventSchema>, Event>,
  | "eventId"
  | "channel"
  | "platform"
  | "sessionId"
  | "userId"
  | "anonymousId"
  | "deviceId"
  | "timestamp"
>;

/** A UUID (version 4 layout) drawn from the random source, so seeded runs repeat their ids. */
export function randomUuid(random: Random): string {
  const h = random.hex(32);
  const variant = "89ab"[random.int(0, 3)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}

/** Starts a session: fresh session and device ids, a known user with probability `knownUser`. */
export function startSession(
  ctx: GeneratorContext,
  channel: Channel,
  platform: string,
  knownUser = 0.4,
): Session {
  const { random } = ctx;
  return {
    channel,
    platform,
    sessionId: randomUuid(random),
    // A pool of 50k users, so users come back across sessions as real ones do.
    userId: random.chance(knownUser) ? `user_${random.int(1, 50_000)}` : "",
    anonymousId: randomUuid(random),
    deviceId: `dev_${random.hex(16)}`,
    lastTimeMs: 0,
  };
}

/** The session's next event time: now, but never before (or equal to) its previous event. */
export function nextEventTime(session: Session, now: number): number {
  session.lastTimeMs = Math.max(now, session.lastTimeMs + 1);
  return session.lastTimeMs;
}

/** Builds an event of the session with a fresh UUIDv7 and the session's ids and clock. */
export function sessionEvent(ctx: GeneratorContext, session: Session, fields: EventFields): Event {
  const timeMs = nextEventTime(session, ctx.now());
  return create(EventSchema, {
    ...fields,
    eventId: uuidv7(),
    channel: session.channel,
    platform: session.platform,
    sessionId: session.sessionId,
    userId: session.userId,
    anonymousId: session.anonymousId,
    deviceId: session.deviceId,
    timestamp: timestampFromMs(timeMs),
  });
}
