/**
 * The Protobuf client (servers, agents, React Native): an `EventClient` over
 * `analytics.v1.Event` messages sent through a Connect transport. See `event_client.ts` for the
 * sending, retry and queue rules.
 *
 * @module
 */
import type { Event } from "@analytics/schema";
import type { EventInit } from "../event/new_event.ts";
import {
  EventClient,
  type EventClientOptions,
  type Rejection as RejectionOf,
} from "./event_client.ts";
import { protobufFormat, type ProtobufFormatOptions } from "./protobuf_format.ts";

/** An event the ingest refused, and why. */
export type Rejection = RejectionOf<Event>;

/** Options of AnalyticsClient.open. */
export type AnalyticsClientOptions = ProtobufFormatOptions & EventClientOptions<Event>;

/** The shared analytics client over Protobuf events; channel clients wrap it. */
export class AnalyticsClient extends EventClient<Event, EventInit> {
  /** Opens a client: loads the ids and any queue a previous run left, and sends that queue. */
  static async open(options: AnalyticsClientOptions): Promise<AnalyticsClient> {
    const format = protobufFormat(options);
    return new AnalyticsClient(format, options, await EventClient.load(format, options));
  }
}
