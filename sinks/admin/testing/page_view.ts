import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Channel, type Event, EventSchema, uuidv7 } from "@analytics/schema";

/** A new web page view of `userId` now, in the session `s-<userId>`. */
export function pageViewOf(userId: string): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.WEB,
    eventType: "page_view",
    sessionId: `s-${userId}`,
    userId,
    timestamp: timestampFromMs(Date.now()),
  });
}
