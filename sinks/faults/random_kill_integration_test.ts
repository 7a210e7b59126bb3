/**
 * SIGKILL of each sink at random moments under steady load through ingest → Kafka, a few times
 * each; the supervisor restarts them. After recovery both stores hold every acknowledged event
 * exactly once.
 */
import assert from "node:assert/strict";
import { assertExactlyOnce } from "./ledger_check.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

const KILLS_EACH = FAULTS_FULL ? 10 : 3;

faultTest("SIGKILL of each sink at random moments: nothing lost or doubled", async () => {
  const run = await FaultRun.create({ name: "randkill" });
  try {
    await run.startIngest();
    await run.startHotSink();
    await run.startLakeSink();
    const durationMs = FAULTS_FULL ? 90_000 : 20_000;
    const loading = run.runLoad({ durationMs });
    const kills: Record<string, number> = { "hot-sink": 0, "lake-sink": 0 };
    // Kill the sinks in a random order at random moments spread over the load, each one only
    // once it is ready again after the previous kill.
    const plan = [
      ...Array(KILLS_EACH).fill("hot-sink"),
      ...Array(KILLS_EACH).fill("lake-sink"),
    ].sort(() => Math.random() - 0.5) as string[];
    const gapMs = (durationMs * 0.8) / plan.length;
    for (const name of plan) {
      await new Promise((r) => setTimeout(r, gapMs * (0.5 + Math.random())));
      await run.supervisor.waitReady(name);
      run.supervisor.kill(name);
      kills[name]++;
    }
    const load = await loading;
    const checks = await run.converge();
    run.report("random SIGKILL of the sinks (Kafka)", load, {
      "hot-sink SIGKILL": kills["hot-sink"],
      "lake-sink SIGKILL": kills["lake-sink"],
    }, checks);
    assert.equal(run.supervisor.starts("hot-sink"), KILLS_EACH + 1);
    assert.equal(run.supervisor.starts("lake-sink"), KILLS_EACH + 1);
    assertExactlyOnce(checks, load.accepted);
    run.passed();
  } finally {
    await run.dispose();
  }
});
