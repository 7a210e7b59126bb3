import { Channel } from "@analytics/schema";

/** Lower-case channel names as clients, key configuration and the legacy API write them. */
const NAMES: ReadonlyMap<string, Channel> = new Map([
  ["web", Channel.WEB],
  ["mobile", Channel.MOBILE],
  ["chat", Channel.CHAT],
  ["speech", Channel.SPEECH],
  ["agent", Channel.AGENT],
  ["server", Channel.SERVER],
  ["custom", Channel.CUSTOM],
]);

/** The channel named `name` (case-insensitive, e.g. "web"), or undefined if it is not one of ours. */
export function channelFromName(name: string): Channel | undefined {
  return NAMES.get(name.trim().toLowerCase());
}

/** The lower-case name of `channel`, e.g. "web"; "unspecified" for 0 and "channel_<n>" beyond. */
export function channelName(channel: Channel): string {
  for (const [name, value] of NAMES) if (value === channel) return name;
  return channel === Channel.UNSPECIFIED ? "unspecified" : `channel_${channel}`;
}

/** Every channel name, in enum order. */
export const CHANNEL_NAMES: readonly string[] = [...NAMES.keys()];
