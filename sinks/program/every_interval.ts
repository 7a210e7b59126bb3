import type { Logger } from "../../ingest/observability/logger.ts";

/** A running periodic task; `stop` waits for a run in progress. */
export interface Schedule {
  stop(): Promise<void>;
}

/**
 * Runs `task` now and then `intervalMs` after each run ends, until stopped; a failed run is
 * logged and the next one tried as usual (retention and vacuum are safe to repeat).
 */
export function everyInterval(
  task: () => Promise<void>,
  intervalMs: number,
  logger: Logger,
  name: string,
): Schedule {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = task().catch((error) => logger.warn(`${name} failed; tried again later`, { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
