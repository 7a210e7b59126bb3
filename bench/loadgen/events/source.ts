/**
 * An endless stream of events that interleaves many live sessions across the chosen channels,
 * as an ingest sees real traffic.
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import { CHANNEL_NAMES, type ChannelName, SESSION_GENERATORS } from "./channels.ts";
import { createRandom, type Random } from "./random.ts";
import type { GeneratorContext } from "./session.ts";

/** Options of createEventSource. */
export interface EventSourceOptions {
  /** Channels to draw sessions from, evenly. Default: all. */
  channels?: readonly ChannelName[];
  /** Seed of the random source; default: random. */
  seed?: number;
  /** Clock in milliseconds since the epoch. Default: Date.now. */
  now?: () => number;
  /** Sessions live at once, whose events interleave. Default: 64. */
  liveSessions?: number;
}

/** A source of events: one at a time, or a batch. */
export interface EventSource {
  /** The next event of a randomly chosen live session. */
  next(): Event;
  /** The next `size` events. */
  batch(size: number): Event[];
}

/** Creates an event source over live sessions of the given channels. */
export function createEventSource(options: EventSourceOptions = {}): EventSource {
  const channels = options.channels?.length ? options.channels : CHANNEL_NAMES;
  const random: Random = createRandom(options.seed);
  const ctx: GeneratorContext = { random, now: options.now ?? Date.now };
  const live: Generator<Event>[] = [];
  const liveSessions = Math.max(1, options.liveSessions ?? 64);
  const startOne = () => SESSION_GENERATORS[random.pick(channels)](ctx);
  const next = (): Event => {
    for (;;) {
      while (live.length < liveSessions) live.push(startOne());
      const i = random.int(0, live.length - 1);
      const step = live[i].next();
      if (!step.done) return step.value;
      live[i] = startOne();
    }
  };
  return {
    next,
    batch: (size) => Array.from({ length: size }, next),
  };
}
