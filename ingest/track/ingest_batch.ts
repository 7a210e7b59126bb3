import { create, toBinary } from "@bufbuild/protobuf";
import { type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  type Event,
  type EventResult,
  EventResultSchema,
  EventSchema,
  Outcome,
} from "@analytics/schema";
import type { WriteKeyRecord } from "../auth/write_key.ts";
import {
  anonymizeEvent,
  consentDecision,
  droppedReason,
  eventPrivacySignals,
  NO_SIGNALS,
  type PrivacySignals,
} from "../consent/mod.ts";
import { failpoint } from "../failpoints/mod.ts";
import { enrichEventInPlace, type RequestFacts } from "../enrich/enrich_event.ts";
import { appendEnrichment } from "../enrich/encode_enriched_event.ts";
import { createUserAgentParser } from "../enrich/user_agent.ts";
import { InFlightGate } from "../limits/in_flight_gate.ts";
import { rateLimitedReason } from "../limits/request_limits.ts";
import { createLogger } from "../observability/logger.ts";
import { partitionKeyOf } from "../stream/partitioner.ts";
import type { OutgoingRecord } from "../stream/record.ts";
import { EVENT_SCHEMA, EVENTS_TOPIC, SCHEMA_HEADER } from "../stream/topics.ts";
import { channelName } from "../validate/channel_names.ts";
import { createEventValidator } from "../validate/validate_event.ts";
import { eventSizeViolation } from "../validate/event_size.ts";
import type { IngestDeps } from "./ingest_deps.ts";
import { rejectionReason } from "./ingest_metrics.ts";
import type { Counter, Labels } from "../observability/metrics_registry.ts";
import {
  contextFromTraceparent,
  isTracing,
  spanContextFromTraceparent,
  traceparentOf,
} from "./trace_context.ts";

/** Reason of events refused because they carry the id of a deleted user (docs/privacy.md). */
export const SUPPRESSED_REASON = "suppressed: this user was deleted; do not send its events again";

/** Reason of events the log could not take; the cause goes to the log, not to the client. */
export const NOT_STORED_REASON = "could not be stored: the event log is unavailable; retry later";

/** One batch of events from one sender, as the pipeline takes it. */
export interface BatchInput {
  events: Event[];
  /** Index of the first event in the request (or across the stream, for TrackStream). */
  firstIndex: number;
  /** The key (or legacy source) that sent the batch. */
  sender: WriteKeyRecord;
  /** Receive time, sent_at, peer address, user agent; `source` is taken from `sender`. */
  facts: Omit<RequestFacts, "source">;
  /** W3C traceparent for the record headers. */
  traceparent?: string;
  /** Privacy signals of the request's headers (`Sec-GPC`, `DNT`); none by default. */
  signals?: PrivacySignals;
  /** Milliseconds left before the call's deadline; none without one. */
  remainingMs?: number;
}

/** Per-event outcomes of a batch, in input order, with the counts that decide the call's code. */
export interface BatchResult {
  results: EventResult[];
  accepted: number;
  rejected: number;
  notStored: number;
  /** Events not stored because the log failed (as opposed to rate limited). */
  publishFailed: number;
  /** Events not stored because of a limit: the sender's rate limit or the ingest's in-flight bound. */
  rateLimited: number;
  /** The reason given for those events, when there were some (names the limit). */
  rateLimitReason?: string;
}

/** Runs one batch through the pipeline: validate → rate limit → enrich → encode → publish. */
export type BatchIngester = (input: BatchInput) => Promise<BatchResult>;

/**
 * Makes the pipeline shared by Track, TrackStream and POST /analytics. Validation of one event
 * never affects another; only events the publisher reported stored are ACCEPTED; invalid ones
 * are REJECTED with the field and reason and never published; rate-limited and failed ones are
 * NOT_STORED (the client retries them). Valid events under a privacy signal follow the consent
 * policy (docs/consent.md): dropped ones are ACCEPTED with a reason and never published,
 * anonymised ones are published without identifiers.
 */
export function createBatchIngester(deps: IngestDeps): BatchIngester {
  const validate = createEventValidator();
  const parseUserAgent = createUserAgentParser();
  const topic = deps.topic ?? EVENTS_TOPIC;
  const log = deps.log ?? createLogger({ fields: { component: "ingest" } });
  const { limits, storeFullIp, consent } = deps.config;
  const metrics = deps.metrics;
  const tracer = deps.tracer ?? trace.getTracer("analytics-ingest");
  const system = deps.logSystem ?? "kafka";
  const suppressed = (event: Event, index: number) => {
    const field = deps.suppression?.list.fieldOf(event);
    if (field === undefined) return null;
    deps.suppression?.suppressed?.add(1, { channel: channelName(event.channel) });
    return { field: `events[${index}].${field}`, reason: SUPPRESSED_REASON };
  };

  const gate = deps.inFlight ?? new InFlightGate(limits.maxInFlightEvents);
  /** Answers a whole batch NOT_STORED without looking at it: the ingest holds enough already. */
  const shed = ({ events, firstIndex }: BatchInput, shedReason: string): BatchResult => {
    const byChannel = new Map<string, number>();
    const results = events.map((event, i) => {
      const channel = channelName(event.channel);
      byChannel.set(channel, (byChannel.get(channel) ?? 0) + 1);
      return create(EventResultSchema, {
        index: firstIndex + i,
        eventId: event.eventId,
        outcome: Outcome.NOT_STORED,
        reason: shedReason,
      });
    });
    for (const [channel, n] of byChannel) {
      metrics?.received.add(n, { channel });
      metrics?.notStored.add(n, { channel, reason: "overloaded" });
    }
    return {
      results,
      accepted: 0,
      rejected: 0,
      notStored: events.length,
      publishFailed: 0,
      rateLimited: events.length,
      rateLimitReason: shedReason,
    };
  };

  return async (input) => {
    const admitted = input.events.length;
    const refused = gate.enter(admitted, input.remainingMs);
    if (refused !== undefined) return shed(input, refused);
    const started = performance.now();
    try {
      return await ingestAdmitted(input);
    } finally {
      gate.leave(admitted, performance.now() - started);
    }
  };

  async function ingestAdmitted(
    { events, firstIndex, sender, facts, traceparent, signals = NO_SIGNALS }: BatchInput,
  ): Promise<BatchResult> {
    const results: EventResult[] = events.map((event, i) =>
      create(EventResultSchema, { index: firstIndex + i, eventId: event.eventId })
    );
    const valid: number[] = [];
    // Each event as the client sent it, encoded once: for the size limit, and reused as the
    // published record's bytes when enrichment changes none of the client's fields.
    const clientBytes: Uint8Array[] = [];
    events.forEach((event, i) => {
      event.enrichment = undefined; // replaced below; never counted against the size limit
      let violation = validate(event, firstIndex + i, { allowedChannels: sender.channels });
      if (violation === null) {
        clientBytes[i] = toBinary(EventSchema, event);
        violation =
          eventSizeViolation(clientBytes[i].byteLength, limits.maxEventBytes, firstIndex + i) ??
            suppressed(event, firstIndex + i);
      }
      if (violation === null) {
        valid.push(i);
      } else {
        Object.assign(results[i], { outcome: Outcome.REJECTED, ...violation });
      }
    });
    // Consent before the rate limit: a dropped event costs the sender no tokens.
    const dropped = new Map<number, "gpc" | "dnt">();
    const anonymised = new Map<number, "gpc" | "dnt">();
    const kept = valid.filter((i) => {
      const decision = consentDecision(eventPrivacySignals(events[i], signals), consent);
      if (decision.action === "drop") {
        dropped.set(i, decision.signal);
        Object.assign(results[i], {
          outcome: Outcome.ACCEPTED,
          reason: droppedReason(decision.signal),
        });
        return false;
      }
      if (decision.action === "anonymize") anonymised.set(i, decision.signal);
      return true;
    });
    const granted = kept.length === 0
      ? 0
      : deps.limiter.take(sender.keyHash, kept.length, sender.rateLimit);
    const limited = kept.slice(granted);
    const rateLimitReason = limited.length === 0
      ? undefined
      : rateLimitedReason(sender.source, deps.limiter.limitFor(sender.rateLimit));
    for (const i of limited) {
      Object.assign(results[i], { outcome: Outcome.NOT_STORED, reason: rateLimitReason });
    }

    const toPublish = kept.slice(0, granted);
    const headers: Record<string, string> = { [SCHEMA_HEADER]: EVENT_SCHEMA };
    /** The enriched records, each carrying the id of the trace it is published in. */
    const encode = (traceId: string | undefined): OutgoingRecord[] =>
      toPublish.map((i) => {
        const event = events[i];
        const { clientFieldsChanged } = enrichEventInPlace(
          event,
          { ...facts, source: sender.source, traceId },
          { storeFullIp, parseUserAgent },
        );
        if (anonymised.has(i)) anonymizeEvent(event);
        const value = clientFieldsChanged || anonymised.has(i)
          ? toBinary(EventSchema, event)
          : appendEnrichment(clientBytes[i], event.enrichment!);
        return { key: partitionKeyOf(event), value, headers };
      });
    let publishFailed = 0;
    if (toPublish.length > 0) {
      /** Publishes the records carrying `carried`; `span` (when tracing) gets the outcome. */
      const publish = async (carried: string | undefined, span?: Span) => {
        if (carried) headers.traceparent = carried;
        Object.freeze(headers); // shared by the batch's records; the publisher may cache it
        const records = encode(spanContextFromTraceparent(carried)?.traceId);
        const started = performance.now();
        const outcomes = await publishAll(deps.publisher, topic, records);
        const failed = outcomes.filter((o) => !o.ok).length;
        if (failed > 0) {
          span?.setStatus({ code: SpanStatusCode.ERROR, message: `${failed} records failed` });
        }
        metrics?.publishLatency.record(performance.now() - started, {
          system,
          outcome: failed === 0 ? "ok" : "failed",
        });
        metrics?.publishBatchSize.record(records.length, { system });
        return outcomes;
      };
      // With tracing off the publish span would be a no-op carrying the client's span context:
      // the records carry that context (or the traceparent as sent, when not one) without it.
      const outcomes = !isTracing(tracer) ? await publish(carriedAsSent(traceparent)) : await tracer
        .startActiveSpan(
          `publish ${topic}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              "messaging.system": system,
              "messaging.operation.type": "publish",
              "messaging.operation.name": "publish",
              "messaging.destination.name": topic,
              "messaging.batch.message_count": toPublish.length,
            },
          },
          contextFromTraceparent(traceparent),
          async (span) => {
            // The records carry the publish span's context, so each sink links to it.
            try {
              return await publish(traceparentOf(span.spanContext()) ?? traceparent, span);
            } finally {
              span.end();
            }
          },
        );
      let firstError: Error | undefined;
      outcomes.forEach((outcome, j) => {
        const result = results[toPublish[j]];
        if (outcome.ok) {
          result.outcome = Outcome.ACCEPTED;
        } else {
          result.outcome = Outcome.NOT_STORED;
          result.reason = NOT_STORED_REASON;
          firstError ??= outcome.error;
          publishFailed++;
        }
      });
      if (publishFailed > 0) {
        log.warn("events not stored: publish failed", {
          topic,
          source: sender.source,
          failed: publishFailed,
          of: toPublish.length,
          error: firstError,
        });
      }
      // Published (or failed), the client not yet answered: a crash here loses only the answer.
      failpoint("ingest.after-publish-before-answer");
    }

    let accepted = 0, rejected = 0, notStored = 0;
    // Counted per counter and label set, then added once each: a batch touches few series.
    const counts = new Map<Counter, Map<string, { labels: Labels; n: number }>>();
    const count = (counter: Counter | undefined, labels: Labels) => {
      if (!counter) return;
      let series = counts.get(counter);
      if (!series) counts.set(counter, series = new Map());
      const key = JSON.stringify(labels);
      const entry = series.get(key);
      if (entry) entry.n++;
      else series.set(key, { labels, n: 1 });
    };
    results.forEach((result, i) => {
      const channel = channelName(events[i].channel);
      count(metrics?.received, { channel });
      if (result.outcome === Outcome.ACCEPTED) {
        accepted++;
        const droppedBy = dropped.get(i);
        const anonymisedBy = anonymised.get(i);
        // A dropped event is answered ACCEPTED but is not in the log: counted apart.
        if (droppedBy === undefined) count(metrics?.accepted, { channel });
        else count(metrics?.consent, { signal: droppedBy, action: "dropped" });
        if (anonymisedBy) count(metrics?.consent, { signal: anonymisedBy, action: "anonymised" });
      } else if (result.outcome === Outcome.REJECTED) {
        rejected++;
        count(metrics?.rejected, { channel, reason: rejectionReason(result.field) });
      } else {
        notStored++;
        const reason = result.reason === NOT_STORED_REASON ? "log_unavailable" : "rate_limited";
        count(metrics?.notStored, { channel, reason });
      }
    });
    for (const [counter, series] of counts) {
      for (const { labels, n } of series.values()) counter.add(n, labels);
    }
    return {
      results,
      accepted,
      rejected,
      notStored,
      publishFailed,
      rateLimited: limited.length,
      rateLimitReason,
    };
  }
}

/** The traceparent a no-op span child of `traceparent` carries: the same context, normalised. */
function carriedAsSent(traceparent: string | undefined): string | undefined {
  const remote = spanContextFromTraceparent(traceparent);
  return (remote && traceparentOf(remote)) ?? traceparent;
}

/** Publishes, turning a thrown error (closed publisher, bug) into a failure of every record. */
async function publishAll(
  publisher: IngestDeps["publisher"],
  topic: string,
  records: OutgoingRecord[],
) {
  try {
    const outcomes = await publisher.publish(topic, records);
    if (outcomes.length !== records.length) {
      throw new Error(
        `publisher answered ${outcomes.length} outcomes for ${records.length} records`,
      );
    }
    return outcomes;
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    return records.map(() => ({ ok: false as const, error: cause }));
  }
}
