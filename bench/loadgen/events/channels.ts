/**
 * The session generator of each channel, by the name the load generator's `--channels` uses.
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import type { GeneratorContext } from "./session.ts";
import { webSession } from "./web.ts";
import { mobileSession } from "./mobile.ts";
import { chatSession } from "./chat.ts";
import { speechSession } from "./speech.ts";
import { agentSession } from "./agent.ts";

/** A function that yields the events of one coherent session. */
export type SessionGenerator = (ctx: GeneratorContext) => Generator<Event>;

/** Session generators by channel name. */
export const SESSION_GENERATORS = {
  web: webSession,
  mobile: mobileSession,
  chat: chatSession,
  speech: speechSession,
  agent: agentSession,
} as const satisfies Record<string, SessionGenerator>;

/** Name of a channel the load generator can make events for. */
export type ChannelName = keyof typeof SESSION_GENERATORS;

/** Every channel name, in a stable order. */
export const CHANNEL_NAMES: readonly ChannelName[] = Object.keys(
  SESSION_GENERATORS,
) as ChannelName[];

/** Parses a comma-separated channel list ("web,chat" or "all"), naming any unknown channel. */
export function parseChannels(list: string): ChannelName[] {
  if (list.trim() === "" || list.trim() === "all") return [...CHANNEL_NAMES];
  const names = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const name of names) {
    if (!(name in SESSION_GENERATORS)) {
      throw new RangeError(`unknown channel "${name}" (known: ${CHANNEL_NAMES.join(", ")})`);
    }
  }
  return [...new Set(names)] as ChannelName[];
}
