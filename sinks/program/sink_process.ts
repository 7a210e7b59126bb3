/** The process side of a sink program: logger, signals, exit status. */
import { createLogger, isLogLevel, type Logger } from "../../ingest/observability/logger.ts";
import { setupTelemetry } from "../../ingest/observability/telemetry.ts";
import type { RunningSink } from "./sink_runner.ts";

/** A JSON-lines logger for the sink `service` at LOG_LEVEL (default info). */
export function sinkLogger(service: string): Logger {
  const level = Deno.env.get("LOG_LEVEL")?.trim() || "info";
  if (!isLogLevel(level)) {
    console.error(
      `${service}: configuration error: LOG_LEVEL: expected debug, info, warn or error`,
    );
    Deno.exit(2);
  }
  const logger = createLogger({ level, fields: { service } });
  setupTelemetry({ serviceName: service, env: Deno.env.toObject(), logger });
  return logger;
}

/** Reads a configuration with `load`, exiting with status 2 and the message when it is wrong. */
export function loadOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    console.error(`${service}: configuration error: ${(error as Error).message}`);
    Deno.exit(2);
  }
}

/**
 * Runs `sink` until SIGTERM/SIGINT (graceful stop, exit 0) or until its loop fails (exit 1,
 * so a supervisor restarts it; nothing past the failure was committed).
 */
export async function runUntilSignal(sink: RunningSink, logger: Logger): Promise<never> {
  const onSignal = (signal: Deno.Signal) => () => {
    logger.info("stopping", { signal });
    sink.stop();
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, onSignal(signal));
  }
  try {
    const summary = await sink.done;
    logger.info("stopped", { ...summary });
    Deno.exit(0);
  } catch (error) {
    logger.error("sink failed; exiting", { error });
    Deno.exit(1);
  }
}
