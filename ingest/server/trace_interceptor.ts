import type { Interceptor } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { contextFromTraceparent, isTracing } from "../track/trace_context.ts";

/**
 * A Connect interceptor opening a SERVER span per RPC (`analytics.v1.IngestService/Track`),
 * child of the caller's `traceparent` (or of the HTTP span Deno opened, when active), with
 * `rpc.*` attributes and the Connect code of a failure. With tracing off the call goes straight
 * through: a no-op span would record nothing and, with no context manager, never be active.
 */
export function createTraceInterceptor(
  tracer: Tracer = trace.getTracer("analytics-ingest"),
): Interceptor {
  return (next) => (request) => {
    if (!isTracing(tracer)) return next(request);
    const service = request.service.typeName;
    const method = request.method.name;
    return tracer.startActiveSpan(
      `${service}/${method}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "rpc.system": "connect_rpc",
          "rpc.service": service,
          "rpc.method": method,
          "rpc.protocol": request.header.get("content-type") ?? "",
        },
      },
      contextFromTraceparent(request.header.get("traceparent") ?? undefined),
      async (span) => {
        try {
          return await next(request);
        } catch (error) {
          const connect = ConnectError.from(error);
          span.setAttribute("rpc.connect_rpc.error_code", connect.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: connect.rawMessage });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
}
