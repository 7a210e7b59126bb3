// Run by logger_test.ts with OTEL_DENO=true: logs once inside a span and once outside.
import { trace } from "@opentelemetry/api";
import { createLogger } from "../logger.ts";

const log = createLogger({ write: (line) => console.log(line) });
trace.getTracer("logger-test").startActiveSpan("work", (span) => {
  log.info("inside", { expected_trace_id: span.spanContext().traceId });
  span.end();
});
log.info("outside");
