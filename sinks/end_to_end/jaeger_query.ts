/** Reads traces back from Jaeger's query API (`/api/traces`), for the trace tests. */

/** One span as Jaeger's query API returns it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}

/** One trace: its spans and the processes (services) they came from. */
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** Jaeger's query URL and OTLP/HTTP endpoint, from the environment or deploy/jaeger's defaults. */
export function jaegerAddresses(): { queryUrl: string; otlpEndpoint: string } {
  return {
    queryUrl: Deno.env.get("JAEGER_QUERY_URL") ?? "http://127.0.0.1:16686",
    otlpEndpoint: Deno.env.get("OTEL_EXPORTER_OTLP_ENDPOINT") ?? "http://127.0.0.1:4318",
  };
}

/** True when Jaeger's query API answers. */
export async function jaegerAvailable(queryUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${queryUrl}/api/services`, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The traces Jaeger holds for `service` (`GET /api/traces?service=`), newest first. */
export async function tracesOf(queryUrl: string, service: string): Promise<JaegerTrace[]> {
  const url = `${queryUrl}/api/traces?service=${encodeURIComponent(service)}&limit=50`;
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body.data ?? [];
}

/** The service name of `span` within `trace`. */
export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]?.serviceName ?? "";
}

/** The value of tag `key` of `span`, if any. */
export function tagOf(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}
