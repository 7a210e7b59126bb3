import assert from "node:assert/strict";
import { ProxyTracerProvider, trace, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { isTracing } from "./trace_context.ts";

/** A tracer provider of its own: what registering an SDK (or Deno's OTEL_DENO) amounts to. */
function registeredProvider(): TracerProvider {
  const delegate = new ProxyTracerProvider();
  return { getTracer: (name, version) => delegate.getTracer(name, version) };
}

Deno.test("the API's tracer with no provider registered is not tracing; once one is, it is", () => {
  const tracer = trace.getTracer("trace-context-test");
  assert.equal(isTracing(tracer), false);
  try {
    assert.equal(trace.setGlobalTracerProvider(registeredProvider()), true);
    assert.equal(isTracing(tracer), true);
    assert.equal(isTracing(trace.getTracer("another")), true);
  } finally {
    trace.disable();
  }
  assert.equal(isTracing(trace.getTracer("trace-context-test")), false);
});

Deno.test("a tracer handed in directly (not the API's proxy) counts as tracing", () => {
  const own: Tracer = new ProxyTracerProvider().getTracer("own");
  const handedIn: Tracer = {
    startSpan: own.startSpan.bind(own),
    startActiveSpan: own.startActiveSpan.bind(own),
  };
  assert.equal(isTracing(handedIn), true);
});
