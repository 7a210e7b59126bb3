import assert from "node:assert/strict";
import { context, trace, TraceFlags } from "@opentelemetry/api";
import { activeSpanIds } from "./active_span.ts";
import { StackContextManager } from "./testdata/stack_context_manager.ts";

Deno.test("active span: the ids of the span active in the OpenTelemetry context, else none", () => {
  assert.ok(context.setGlobalContextManager(new StackContextManager()));
  try {
    assert.equal(activeSpanIds(), undefined);
    const span = trace.wrapSpanContext({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.SAMPLED,
    });
    const ids = context.with(trace.setSpan(context.active(), span), () => activeSpanIds());
    assert.deepEqual(ids, {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
    });
    const invalid = trace.wrapSpanContext({
      traceId: "0".repeat(32),
      spanId: "0".repeat(16),
      traceFlags: 0,
    });
    assert.equal(
      context.with(trace.setSpan(context.active(), invalid), () => activeSpanIds()),
      undefined,
    );
  } finally {
    context.disable();
  }
});
