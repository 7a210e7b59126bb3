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
 * Starts a sink with `start`, or logs why it could not (its store unreachable, credentials
 * refused) and exits 1, so a supervisor retries it, instead of dying of an uncaught error.
 */
export async function startOrExit<T>(
  logger: Logger,
  what: string,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    logger.error(`${what} could not start; exiting`, { error });
    Deno.exit(1);
  }
}

/** SIGTERM/SIGINT caught from process start, so a stop asked during start-up is not a kill. */
export interface StopSignals {
  /** Calls `stop` on the first signal, at once when one came already. */
  onStop(stop: () => void): void;
  /** Removes the listeners (the signals kill the process again). */
  dispose(): void;
}

/**
 * Catches SIGTERM and SIGINT from now on (without listeners, Deno dies of them with status 143 or
 * 130): call it before starting the sink, so a supervisor's stop during start-up ends in a
 * graceful stop once the sink runs.
 */
export function catchStopSignals(logger: Logger): StopSignals {
  let received: Deno.Signal | undefined;
  let stopper: (() => void) | undefined;
  const listeners = (["SIGTERM", "SIGINT"] as const).map((signal) => {
    const listener = () => {
      logger.info("stopping", { signal });
      received ??= signal;
      stopper?.();
    };
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  return {
    onStop(stop) {
      stopper = stop;
      if (received !== undefined) stop();
    },
    dispose() {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}

/**
 * Runs `sink` until SIGTERM/SIGINT (graceful stop, exit 0) or until its loop fails (exit 1,
 * so a supervisor restarts it; nothing past the failure was committed). Pass the `signals` caught
 * before the sink started, or they are caught from here on.
 */
export async function runUntilSignal(
  sink: RunningSink,
  logger: Logger,
  signals: StopSignals = catchStopSignals(logger),
): Promise<never> {
  signals.onStop(() => sink.stop());
  try {
    const summary = await sink.done;
    logger.info("stopped", { ...summary });
    Deno.exit(0);
  } catch (error) {
    logger.error("sink failed; exiting", { error });
    Deno.exit(1);
  }
}
