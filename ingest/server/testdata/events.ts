// Valid analytics.v1 events for listener tests.
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Channel, type Event, EventSchema, uuidv7 } from "@analytics/schema";

/** A valid web page_view event with a fresh UUIDv7 id. */
export function pageView(sessionId = "s-listener-test"): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.WEB,
    eventType: "page_view",
    eventCategory: "navigation",
    sessionId,
    timestamp: timestampNow(),
  });
}

/** `n` valid events. */
export function pageViews(n: number): Event[] {
  return Array.from({ length: n }, () => pageView());
}
