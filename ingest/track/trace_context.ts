import {
  type Context,
  context,
  isSpanContextValid,
  ProxyTracer,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
  type Tracer,
} from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C `traceparent` to carry in record headers: the active span's when a trace is active,
 * else the one the client sent (when well formed and not all zeros), else undefined.
 */
export function traceparentFor(requestHeaders: Headers): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  const active = span && traceparentOf(span);
  if (active) return active;
  const sent = requestHeaders.get("traceparent")?.trim().toLowerCase();
  return spanContextFromTraceparent(sent) ? sent : undefined;
}

/** The W3C `traceparent` of a span context, or undefined when it is not valid (tracing off). */
export function traceparentOf(span: SpanContext): string | undefined {
  if (!isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, "0")}`;
}

/** The span context a well-formed, non-zero `traceparent` names (remote), else undefined. */
export function spanContextFromTraceparent(
  traceparent: string | undefined,
): SpanContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (match === null || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return undefined;
  return {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16),
    isRemote: true,
  };
}

/**
 * The context to start a span in: the active one when a span is active (e.g. the RPC's server
 * span), else one whose parent is the remote span `traceparent` names, else the active one.
 */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  const active = context.active();
  if (trace.getSpan(active) !== undefined) return active;
  const remote = spanContextFromTraceparent(traceparent);
  return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : active;
}

/**
 * False when `tracer`'s spans go nowhere: the API's proxy tracer while no tracer provider is
 * registered (tracing off). Such a span records nothing and only carries its parent's span
 * context, so a caller may skip it and use that context itself; true for any other tracer.
 */
export function isTracing(tracer: Tracer): boolean {
  if (!(tracer instanceof ProxyTracer)) return true;
  const provider = trace.getTracerProvider();
  if (!(provider instanceof ProxyTracerProvider)) return true;
  return provider.getDelegateTracer(tracer.name, tracer.version, tracer.options) !== undefined;
}
