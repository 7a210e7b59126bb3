/**
 * The Kafka broker stopped and started under load (alternately a clean stop and a SIGKILL), with
 * the ingest and both sinks running. While it is down the ingest answers `unavailable` (or
 * NOT_STORED per event) and the clients retry; the sinks reconnect (or exit and are restarted).
 * Afterwards every acknowledged event is in both stores exactly once and both consumer groups'
 * lag is 0.
 *
 * The broker is a private one (deploy/kafka's scripts on free ports and a folder of its own), so
 * the shared broker other suites use is never stopped.
 */
import assert from "node:assert/strict";
import { assertNoLag } from "./consumer_lag.ts";
import { assertExactlyOnce } from "./ledger_check.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";
import { PrivateService } from "./private_service.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

faultTest("the Kafka broker stopped and started under load: nothing lost or doubled", async () => {
  const kafka = await PrivateService.start("kafka");
  try {
    const run = await FaultRun.create({ name: "broker", services: { brokers: kafka.brokers } });
    const faults: Record<string, number> = { "broker stop/start": 0, "broker SIGKILL/start": 0 };
    try {
      await run.startIngest({ env: { KAFKA_REQUEST_TIMEOUT_MS: "3000" } });
      await run.startHotSink();
      await run.startLakeSink();
      // CI: one SIGKILL (a restart takes 30-100 s on a loaded 2-core box); full: alternating.
      const rounds = FAULTS_FULL ? 4 : 1;
      // Load until a while after the last restart (calls in flight finish, retries end).
      const end = new AbortController();
      const loading = run.runLoad({ durationMs: 600_000 }, end.signal);
      const phases: string[] = [];
      const timed = async (what: string, step: () => Promise<void>) => {
        const t0 = Date.now();
        await step();
        phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      };
      for (let round = 0; round < rounds; round++) {
        await sleep(3_000);
        const kill = FAULTS_FULL ? round % 2 === 1 : true;
        await timed(kill ? "SIGKILL" : "stop", () => kafka.stop({ kill }));
        try {
          await sleep(5_000);
        } finally {
          await timed("start", () => kafka.startAgain());
        }
        faults[kill ? "broker SIGKILL/start" : "broker stop/start"]++;
      }
      await sleep(3_000);
      console.log(`  broker: ${phases.join(", ")}`);
      end.abort();
      const load = await loading;
      const checks = await run.converge({ timeoutMs: 150_000 });
      const lag = await run.waitForZeroLag();
      run.report("Kafka broker stopped and started (private broker)", load, {
        ...faults,
        "sink restarts": run.supervisor.starts("hot-sink") + run.supervisor.starts("lake-sink") - 2,
        "ingest restarts": run.supervisor.starts("ingest") - 1,
      }, checks);
      console.log(`  consumer lag after recovery: hot ${lag.hot.total}, lake ${lag.lake.total}`);
      for (const exit of run.supervisor.exits.filter((e) => !e.requested)) {
        console.log(`  ${exit.name} exited by itself (code ${exit.code}, signal ${exit.signal}):`);
        const starts = (await Deno.readTextFile(`${run.workDir}/${exit.name}.log`))
          .split(/\n=== start \d+ of [^\n]*\n/);
        console.log(starts[exit.start + 1]?.trim().split("\n").slice(-40).join("\n"));
      }
      const refused = (load.errors.unavailable ?? 0) + load.notStored;
      assert.ok(refused > 0, `the ingest refused events while the broker was down`);
      assertExactlyOnce(checks, load.accepted);
      assertNoLag(lag);
      run.passed();
    } finally {
      await run.dispose();
    }
  } finally {
    await kafka.dispose();
  }
});
