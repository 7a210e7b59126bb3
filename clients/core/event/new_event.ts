/**
 * Making an event: its `event_id` (UUIDv7) and `timestamp` are fixed here, when the event is
 * created, never at send time, so every retry of it is the same event to the ingest and the
 * stores (they deduplicate on exactly these two).
 *
 * @module
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema, uuidv7 } from "@analytics/schema";

/** What a caller gives for an event; the client fills in the id, time and identity. */
export type EventInit = Exclude<MessageInitShape<typeof EventSchema>, Event>;

/** A new event from `init`, with a fresh UUIDv7 id and the creation time, unless given. */
export function newEvent(init: EventInit, nowMs: number, newId: () => string = uuidv7): Event {
  const event = create(EventSchema, init);
  if (event.eventId === "") event.eventId = newId();
  if (!event.timestamp) event.timestamp = timestampFromMs(nowMs);
  return event;
}
