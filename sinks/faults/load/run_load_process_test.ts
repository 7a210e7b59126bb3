import assert from "node:assert/strict";
import { runLoadProcess } from "./run_load_process.ts";

Deno.test("a load child stopped while it is still starting sends nothing and leaves an empty ledger", async () => {
  const dir = await Deno.makeTempDir({ prefix: "load-child-" });
  try {
    for (const ms of [0, 5, 300]) {
      const end = new AbortController();
      setTimeout(() => end.abort(), ms);
      const ledgerPath = `${dir}/ledger-${ms}`;
      // Port 1 answers nothing: any call made would fail, and the summary would say so.
      const summary = await runLoadProcess({
        url: "http://127.0.0.1:1",
        durationMs: 60_000,
        rate: 20,
        batch: 10,
        concurrency: 1,
        ledgerPath,
      }, end.signal);
      assert.equal(summary.accepted, 0);
      assert.equal(await Deno.readTextFile(ledgerPath), "");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
