import { context, type Link, ROOT_CONTEXT, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import { spanContextFromTraceparent } from "../../ingest/track/trace_context.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";

/** Most links one consume span carries (one per distinct producing span). */
export const MAX_LINKS = 128;

/**
 * Runs `work` inside a CONSUMER span `process <topic>` for one batch, LINKED to the spans that
 * published its records (their `traceparent` headers, distinct, at most MAX_LINKS), with the
 * `messaging.*` attributes of the batch. When every record of the batch came from one publish,
 * the span is also that publish span's child, so the whole path is one trace; a batch mixing
 * publishes starts its own trace and keeps only the links.
 */
export function inBatchSpan<T>(
  tracer: Tracer,
  options: { records: ConsumedRecord[]; system: string; group: string; sink: string },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { records } = options;
  const topic = records[0]?.topic ?? "";
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const traceparent = record.headers.traceparent;
    if (!traceparent || seen.has(traceparent) || links.length >= MAX_LINKS) continue;
    seen.add(traceparent);
    const context = spanContextFromTraceparent(traceparent);
    if (context) links.push({ context });
  }
  const parent = links.length === 1 && seen.size === 1 &&
      records.every((r) => r.headers.traceparent !== undefined)
    ? trace.setSpanContext(ROOT_CONTEXT, links[0].context)
    : context.active();
  return tracer.startActiveSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        "messaging.system": options.system,
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": topic,
        "messaging.consumer.group.name": options.group,
        "messaging.batch.message_count": records.length,
        "analytics.sink": options.sink,
      },
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } finally {
        span.end();
      }
    },
  );
}

/** Runs `work` in a child span `name` (e.g. the store write, the offset commit). */
export function inChildSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: 2, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
