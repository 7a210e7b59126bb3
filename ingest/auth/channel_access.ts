import type { Channel } from "@analytics/schema";
import type { WriteKeyRecord } from "./write_key.ts";

/** True when the key may send events on `channel`. */
export function channelAllowed(
  record: Pick<WriteKeyRecord, "channels">,
  channel: Channel,
): boolean {
  return record.channels === "all" || record.channels.has(channel);
}
