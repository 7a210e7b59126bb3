import { isSpanContextValid, trace } from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C `traceparent` to carry in record headers: the active span's when a trace is active,
 * else the one the client sent (when well formed and not all zeros), else undefined.
 */
export function traceparentFor(requestHeaders: Headers): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, "0")}`;
  }
  const sent = requestHeaders.get("traceparent")?.trim().toLowerCase();
  const match = sent ? TRACEPARENT.exec(sent) : null;
  if (match === null || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return sent;
}
