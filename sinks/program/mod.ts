/**
 * What the two sink programs share: their event-log and HTTP variables, opening the consumer
 * and dead-letter publisher, the HTTP port (/health, /ready, Connect services), and running the
 * loop until a signal.
 *
 * @module
 */
export * from "./sink_env.ts";
export * from "./open_sink_log.ts";
export * from "./sink_http.ts";
export * from "./sink_runner.ts";
export * from "./sink_process.ts";
