/**
 * The bounded queue of Protobuf events (servers, agents, React Native): a BoundedQueue whose
 * events are stored as base64 binary Protobuf and sized by their encoding.
 *
 * @module
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { type Event, EventSchema } from "@analytics/schema";
import { BoundedQueue, type BoundedQueueOptions, type EventCodec } from "./bounded_queue.ts";

// Protobuf framing of a repeated field and a later sent_at add a few bytes per event.
const EVENT_OVERHEAD_BYTES = 24;

/** Stores Protobuf events as base64 binary; sizes them by their binary encoding. */
export const protobufEventCodec: EventCodec<Event> = {
  encode: (event) => base64Encode(toBinary(EventSchema, event)),
  decode: (stored) => fromBinary(EventSchema, base64Decode(stored as string)),
  size: (event) => toBinary(EventSchema, event).length + EVENT_OVERHEAD_BYTES,
};

/** Options of an EventQueue. */
export type EventQueueOptions = BoundedQueueOptions;

/** A FIFO of Protobuf events bounded by count, dropping the oldest first. */
export class EventQueue extends BoundedQueue<Event> {
  /** An empty queue; call `load()` to restore a persisted one. */
  constructor(options: EventQueueOptions = {}) {
    super(protobufEventCodec, options);
  }
}
