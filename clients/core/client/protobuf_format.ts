/**
 * The Protobuf event format: `analytics.v1.Event` messages sent through a Connect transport
 * (gRPC, gRPC-web or Connect), for servers, agents and React Native.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import {
  type Channel,
  ClientContextSchema,
  type Event,
  IngestService,
  Outcome,
  TrackRequestSchema,
} from "@analytics/schema";
import { type EventInit, newEvent } from "../event/new_event.ts";
import { protobufEventCodec } from "../queue/event_queue.ts";
import type { ClientTransport } from "../transport/client_transport.ts";
import type { EventFormat, EventOutcome } from "./event_format.ts";

/** What every event of a Protobuf client gets by default. */
export interface ProtobufFormatOptions {
  transport: ClientTransport;
  /** The channel of the events (an event may override it). */
  channel: Channel;
  /** Platform within the channel, e.g. "node", "slack", "claude-code". */
  platform?: string;
  /** The library that made the events, recorded in `client`. */
  library?: { name: string; version: string };
}

const OUTCOMES: Record<number, EventOutcome> = {
  [Outcome.ACCEPTED]: "accepted",
  [Outcome.REJECTED]: "rejected",
  [Outcome.NOT_STORED]: "not_stored",
};

/** Events as `analytics.v1.Event` messages, sent with `IngestService.Track` on `transport`. */
export function protobufFormat(options: ProtobufFormatOptions): EventFormat<Event, EventInit> {
  const ingest = createClient(IngestService, options.transport.transport);
  return {
    ...protobufEventCodec,
    create(init, nowMs, ids) {
      const event = newEvent(init, nowMs);
      if (!event.channel) event.channel = options.channel;
      if (!event.platform && options.platform) event.platform = options.platform;
      if (!event.sessionId) event.sessionId = ids.sessionId();
      if (!event.anonymousId) event.anonymousId = ids.anonymousId;
      if (!event.userId) event.userId = ids.userId;
      const library = options.library;
      if (library && !event.client?.libraryName) {
        event.client ??= create(ClientContextSchema);
        event.client.libraryName = library.name;
        event.client.libraryVersion = library.version;
      }
      return event;
    },
    identifyInit: (userId, traits) => ({
      eventType: "identify",
      eventCategory: "identity",
      userId,
      properties: traits as EventInit["properties"],
    }),
    async send(events, sentAtMs, { timeoutMs }) {
      const sentAt = timestampFromMs(sentAtMs);
      for (const event of events) event.sentAt = sentAt;
      const answer = await ingest.track(create(TrackRequestSchema, { events, sentAt }), {
        timeoutMs,
      });
      return answer.results.map((r) => ({
        index: r.index,
        outcome: OUTCOMES[r.outcome] ?? "not_stored",
        field: r.field,
        reason: r.reason,
      }));
    },
    close: () => options.transport.close(),
  };
}
