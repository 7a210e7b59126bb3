/** Realistic enriched events, as the ingest publishes them, for the sinks' tests and benches. */
import { toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Event, EventSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { createUserAgentParser, enrichEvent } from "../../ingest/enrich/mod.ts";
import type { OutgoingRecord } from "../../ingest/stream/record.ts";
import { EVENT_SCHEMA, SCHEMA_HEADER } from "../../ingest/stream/topics.ts";
import { partitionKeyOf } from "../../ingest/stream/partitioner.ts";

/** Options of `sampleEvents`. */
export interface SampleEventOptions {
  /** Seed for a reproducible sequence. Default 7. */
  seed?: number;
  /** Clock of the generator (event times follow it). Default `Date.now`. */
  now?: () => number;
}

/** `count` enriched events over every channel, in session order. */
export function sampleEvents(count: number, options: SampleEventOptions = {}): Event[] {
  const now = options.now ?? Date.now;
  const source = createEventSource({ seed: options.seed ?? 7, now });
  const parseUserAgent = createUserAgentParser();
  return source.batch(count).map((event) =>
    enrichEvent(event, {
      receivedAt: timestampFromMs(now()),
      source: "test",
      remoteAddress: "203.0.113.9",
    }, { storeFullIp: false, parseUserAgent })
  );
}

/** The log record the ingest would publish for `event`. */
export function toRecord(event: Event): OutgoingRecord {
  return {
    key: partitionKeyOf(event),
    value: toBinary(EventSchema, event),
    headers: { [SCHEMA_HEADER]: EVENT_SCHEMA },
  };
}

/** The log record of `event` with `headers` added (a dead letter's, for instance). */
export function toRecordWithHeaders(event: Event, headers: Record<string, string>): OutgoingRecord {
  const record = toRecord(event);
  return { ...record, headers: { ...record.headers, ...headers } };
}
