import assert from "node:assert/strict";
import { createLogger } from "../../ingest/observability/logger.ts";
import { catchStopSignals } from "./sink_process.ts";

Deno.test("a SIGTERM that comes before the sink runs stops it as soon as it does", async () => {
  const lines: string[] = [];
  const signals = catchStopSignals(createLogger({ write: (line) => lines.push(line) }));
  try {
    Deno.kill(Deno.pid, "SIGTERM");
    // The signal is delivered to the listener on a later turn of the event loop.
    const deadline = Date.now() + 5_000;
    while (!lines.some((l) => l.includes('"stopping"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.match(lines.join("\n"), /"msg":"stopping","signal":"SIGTERM"/);
    let stops = 0;
    signals.onStop(() => stops++);
    assert.equal(stops, 1, "stopped at once: the signal came already");
  } finally {
    signals.dispose();
  }
});
