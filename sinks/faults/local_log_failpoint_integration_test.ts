/**
 * The ingest on the embedded log, killed in the middle of a local-log append (part of the frame
 * bytes written, the rest and the fsync not) at least three times under steady load, while both
 * sinks read the log from their own processes. Clients retry what was not acknowledged with the
 * same ids. After recovery (the torn tail cut on restart) every acknowledged event is in both
 * stores exactly once.
 */
import assert from "node:assert/strict";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

const KILLS = FAULTS_FULL ? 8 : 3;

faultTest(
  "local-log.mid-append kills of the ingest: acknowledged events survive, once",
  async () => {
    const run = await FaultRun.create({ name: "logfp", log: "local", lake: "local" });
    try {
      // Appends are per partition (6) per group commit, written concurrently, so a kill usually
      // leaves several partitions torn. The 40th append comes a second or so into a run.
      await run.startIngest({
        envForStart: run.failpointsForFirstStarts("local-log.mid-append=kill@40", KILLS),
      });
      await run.startHotSink();
      await run.startLakeSink();
      const load = await run.runLoad({ durationMs: FAULTS_FULL ? 60_000 : 15_000 });
      assert.ok(load.accepted > 0);
      const checks = await run.converge();
      const hits = await run.failpointHits();
      const ingestLog = await Deno.readTextFile(`${run.workDir}/ingest.log`);
      const tornTailsCut = ingestLog.split("\n").filter((l) =>
        l.includes("cut a torn tail")
      ).length;
      run.report("local-log.mid-append in the ingest (embedded log)", load, {
        ...hits,
        "ingest SIGKILL exits": run.supervisor.unrequestedKills("ingest"),
        "torn tails cut on restart": tornTailsCut,
      }, checks);
      assert.ok((hits["local-log.mid-append"] ?? 0) >= KILLS);
      assert.equal(run.supervisor.unrequestedKills("ingest"), KILLS);
      assert.ok(tornTailsCut >= KILLS, "each kill left half a frame (or more) that recovery cut");
      assert.ok(load.failed > 0, "calls in flight at a kill failed and were retried");
      for (const check of checks) {
        assert.equal(check.missing, 0, `${check.store}: lost ${check.missingSample.join(", ")}`);
        // The log itself may hold an id twice (written before the kill, unacknowledged, re-sent
        // by the client): by contract the sinks deduplicate by event_id.
        assert.equal(
          check.duplicated,
          0,
          `${check.store}: ${check.duplicated} ids stored twice (${check.duplicatedSample}); the ` +
            "log holds them twice after client retries, so the store must dedup by event_id",
        );
        assert.equal(check.expected, load.accepted);
      }
      run.passed();
    } finally {
      await run.dispose();
    }
  },
);
