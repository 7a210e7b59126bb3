/**
 * The sinks killed at their worst moments by failpoints, under steady load through ingest → Kafka:
 * the hot sink after its PostgreSQL transaction committed and before the offset commit, the lake
 * sink after its Delta commit and before the offset commit. Each is hit at least three times (the
 * first starts of each sink carry the failpoint; the supervisor restarts it). After recovery both
 * stores hold every acknowledged event exactly once.
 */
import assert from "node:assert/strict";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

const KILLS = FAULTS_FULL ? 8 : 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

faultTest(
  "failpoints after the store write, before the offset commit: nothing lost or doubled",
  async () => {
    const run = await FaultRun.create({ name: "sinkfp" });
    try {
      await run.startIngest();
      // Kill on the 2nd batch of each of the first KILLS starts: a batch is in the store, its
      // offsets are not committed, so the restarted sink reads it again.
      await run.startHotSink("hot-sink", {
        envForStart: run.failpointsForFirstStarts(
          "timescale.after-insert-before-offset-commit=kill@2",
          KILLS,
        ),
      });
      await run.startLakeSink("lake-sink", {
        envForStart: run.failpointsForFirstStarts(
          "delta.after-commit-before-offset-commit=kill@2",
          KILLS,
        ),
      });
      // Load for the planned time and on until each sink is past its failpoint starts: a start
      // only dies at its 2nd write, so on a slow box a fixed-length load can run out of records
      // before the last failpoint start fires (bounded).
      const end = new AbortController();
      const loading = run.runLoad({ durationMs: 900_000 }, end.signal);
      await sleep(FAULTS_FULL ? 60_000 : 15_000);
      const deadline = Date.now() + 300_000;
      while (["hot-sink", "lake-sink"].some((name) => run.supervisor.starts(name) <= KILLS)) {
        assert.ok(Date.now() < deadline, "the failpoint starts did not all end within 5 minutes");
        await sleep(500);
      }
      await sleep(2_000);
      end.abort();
      const load = await loading;
      assert.ok(load.accepted > 0, "the load generator got events accepted");
      await run.supervisor.waitReady("hot-sink");
      await run.supervisor.waitReady("lake-sink");
      const checks = await run.converge();
      const hits = await run.failpointHits();
      run.report("failpoints in the sinks (Kafka)", load, {
        ...hits,
        "hot-sink SIGKILL exits": run.supervisor.unrequestedKills("hot-sink"),
        "lake-sink SIGKILL exits": run.supervisor.unrequestedKills("lake-sink"),
      }, checks);
      assert.ok((hits["timescale.after-insert-before-offset-commit"] ?? 0) >= KILLS);
      assert.ok((hits["delta.after-commit-before-offset-commit"] ?? 0) >= KILLS);
      assert.equal(run.supervisor.unrequestedKills("hot-sink"), KILLS);
      assert.equal(run.supervisor.unrequestedKills("lake-sink"), KILLS);
      for (const check of checks) {
        assert.equal(check.missing, 0, `${check.store}: lost ${check.missingSample.join(", ")}`);
        assert.equal(check.duplicated, 0, `${check.store}: doubled ${check.duplicatedSample}`);
        assert.equal(check.expected, load.accepted);
      }
      run.passed();
    } finally {
      await run.dispose();
    }
  },
);
