import { isbot } from "isbot";

/** True when a user agent string looks like a bot, crawler or monitoring tool (`isbot`). */
export function isBotUserAgent(ua: string): boolean {
  return ua !== "" && isbot(ua);
}
