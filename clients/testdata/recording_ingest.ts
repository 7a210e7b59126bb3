/**
 * An in-memory `IngestService` for the channel clients' unit tests: a real Connect router that
 * validates each event with protovalidate (as the ingest does), answers ACCEPTED or REJECTED
 * per event, and keeps what it accepted, so a test can open a channel client on a hand-driven
 * clock and look at exactly what would reach the ingest.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { createValidator } from "@bufbuild/protovalidate";
import {
  type Channel,
  type Event,
  EventResultSchema,
  EventSchema,
  IngestService,
  Outcome,
  TrackResponseSchema,
} from "@analytics/schema";
import { AnalyticsClient, type AnalyticsClientOptions } from "@analytics/client-core";
import { ManualScheduler } from "@analytics/client-core/testing";

/** What a recording ingest saw. */
export interface RecordingIngest {
  /** A core client on the recording ingest, on `scheduler`. */
  client: AnalyticsClient;
  scheduler: ManualScheduler;
  /** Accepted events, in arrival order. */
  accepted: Event[];
  /** Rejections as "<field>: <reason>". */
  rejected: string[];
  /** Track calls received. */
  calls: number;
}

/** Opens a core client for `channel` whose transport is a validating in-memory ingest. */
export async function openRecordingClient(
  channel: Channel,
  options: Partial<AnalyticsClientOptions> = {},
): Promise<RecordingIngest> {
  const validator = createValidator();
  const scheduler = new ManualScheduler(Date.now());
  const seen = {
    accepted: [] as Event[],
    rejected: [] as string[],
    calls: 0,
  };
  const transport = createRouterTransport(({ service }) => {
    service(IngestService, {
      track(request) {
        seen.calls++;
        const results = request.events.map((event, index) => {
          const result = validator.validate(EventSchema, event);
          if (result.kind === "valid") {
            seen.accepted.push(event);
            return create(EventResultSchema, {
              index,
              eventId: event.eventId,
              outcome: Outcome.ACCEPTED,
            });
          }
          const reason = result.kind === "invalid" ? result.error.message : String(result.error);
          seen.rejected.push(reason);
          return create(EventResultSchema, {
            index,
            eventId: event.eventId,
            outcome: Outcome.REJECTED,
            field: `events[${index}]`,
            reason,
          });
        });
        return create(TrackResponseSchema, { results });
      },
      trackStream() {
        throw new ConnectError("not used by the clients", Code.Unimplemented);
      },
    });
  });
  const client = await AnalyticsClient.open({
    transport: { transport, protocol: "connect", close() {} },
    channel,
    scheduler,
    random: () => 0.5,
    ...options,
  });
  return {
    client,
    scheduler,
    get accepted() {
      return seen.accepted;
    },
    get rejected() {
      return seen.rejected;
    },
    get calls() {
      return seen.calls;
    },
  };
}
