import { type Meter, metrics, trace, type Tracer } from "@opentelemetry/api";
import type { Logger } from "./logger.ts";

/** What `setupTelemetry` found and hands out: a tracer and a meter for one program. */
export interface Telemetry {
  /** True when Deno's built-in OpenTelemetry exporter is on (`OTEL_DENO=true`). */
  readonly enabled: boolean;
  /** The program's tracer (a no-op tracer when telemetry is off). */
  readonly tracer: Tracer;
  /** The program's meter (a no-op meter when telemetry is off). */
  readonly meter: Meter;
}

/** Options of `setupTelemetry`. */
export interface TelemetryOptions {
  /** Instrumentation scope name, e.g. "analytics-ingest". */
  serviceName: string;
  /** Version reported with the scope. */
  serviceVersion?: string;
  /** The environment to read the `OTEL_*` variables from. */
  env: Record<string, string | undefined>;
  /** Where to say whether and where telemetry is exported. */
  logger: Logger;
}

/**
 * Sets up OpenTelemetry for one program; call it once, from the entry point.
 *
 * Deno exports traces, metrics and logs itself when started with `OTEL_DENO=true` (OTLP
 * http/protobuf to `OTEL_EXPORTER_OTLP_ENDPOINT`, default http://localhost:4318; service name
 * from `OTEL_SERVICE_NAME`), and registers itself as the global provider behind
 * `@opentelemetry/api`. So no SDK is started here: this only hands out the program's tracer and
 * meter and logs the exporter's settings. With `OTEL_DENO` unset the API is a no-op.
 */
export function setupTelemetry(options: TelemetryOptions): Telemetry {
  const enabled = options.env.OTEL_DENO === "true" || options.env.OTEL_DENO === "1";
  const telemetry: Telemetry = {
    enabled,
    tracer: trace.getTracer(options.serviceName, options.serviceVersion),
    meter: metrics.getMeter(options.serviceName, options.serviceVersion),
  };
  if (enabled) {
    options.logger.info("opentelemetry export on", {
      otel_service_name: options.env.OTEL_SERVICE_NAME ?? "(process name)",
      otel_endpoint: options.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318",
    });
  } else {
    options.logger.debug("opentelemetry export off (start with OTEL_DENO=true to enable)");
  }
  return telemetry;
}
