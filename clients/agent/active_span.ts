/**
 * The OpenTelemetry trace and span ids of the span active where an event is recorded, so the
 * event joins its trace. Read through `@opentelemetry/api`, which Deno's built-in telemetry
 * (`OTEL_DENO=true`) and the OpenTelemetry SDKs feed; without either there is no active span.
 *
 * @module
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";

/** Trace id (32 hex) and span id (16 hex) of a span. */
export interface SpanIds {
  traceId: string;
  spanId: string;
}

/** The active span's ids, or undefined when no valid span is active. */
export function activeSpanIds(): SpanIds | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return undefined;
  return { traceId: context.traceId, spanId: context.spanId };
}
