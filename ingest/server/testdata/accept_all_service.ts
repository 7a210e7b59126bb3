// A stand-in IngestService for listener tests: accepts every event, remembers what it saw, and
// can hold a call open (for the graceful-shutdown test). The listeners are what is under test.
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import {
  type Event,
  EventResultSchema,
  type IngestService,
  Outcome,
  TrackResponseSchema,
  TrackStreamResponseSchema,
} from "@analytics/schema";
import { clientAddressKey } from "../client_address.ts";

/** What the stand-in saw. */
export interface SeenCalls {
  events: Event[];
  authorization: (string | null)[];
  clientAddresses: (string | undefined)[];
}

/** Creates the stand-in; `gate`, when set, is awaited by Track before it answers. */
export function acceptAllService(
  options: { gate?: () => Promise<void> } = {},
): { service: ServiceImpl<typeof IngestService>; seen: SeenCalls } {
  const seen: SeenCalls = { events: [], authorization: [], clientAddresses: [] };
  const note = (events: Event[], ctx: HandlerContext) => {
    seen.events.push(...events);
    seen.authorization.push(ctx.requestHeader.get("authorization"));
    seen.clientAddresses.push(ctx.values.get(clientAddressKey));
  };
  const results = (events: Event[], offset = 0) =>
    events.map((event, i) =>
      create(EventResultSchema, {
        index: offset + i,
        eventId: event.eventId,
        outcome: Outcome.ACCEPTED,
      })
    );
  const service: ServiceImpl<typeof IngestService> = {
    async track(request, ctx) {
      await options.gate?.();
      note(request.events, ctx);
      return create(TrackResponseSchema, {
        results: results(request.events),
        accepted: request.events.length,
        serverTime: timestampNow(),
      });
    },
    async trackStream(requests, ctx) {
      const all: Event[] = [];
      for await (const request of requests) {
        note(request.events, ctx);
        all.push(...request.events);
      }
      return create(TrackStreamResponseSchema, {
        results: results(all),
        accepted: all.length,
        serverTime: timestampNow(),
      });
    },
  };
  return { service, seen };
}
