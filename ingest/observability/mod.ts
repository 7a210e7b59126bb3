/**
 * Observability scaffold: structured JSON logs carrying the active trace id, and the once per
 * program OpenTelemetry set-up (Deno's built-in exporter behind `@opentelemetry/api`).
 *
 * @module
 */
export * from "./logger.ts";
export * from "./telemetry.ts";
export * from "./metrics_registry.ts";
