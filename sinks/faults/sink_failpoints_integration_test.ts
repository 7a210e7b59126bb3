/**
 * The sinks killed at their worst moments by failpoints, under steady load through ingest → Kafka:
 * the hot sink after its PostgreSQL transaction committed and before the offset commit, the lake
 * sink after its Delta commit and before the offset commit. Each is hit at least three times (the
 * first starts of each sink carry the failpoint; the supervisor restarts it). After recovery both
 * stores hold every acknowledged event exactly once.
 */
import assert from "node:assert/strict";
import { assertExactlyOnce } from "./ledger_check.ts";
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
      const load = await run.runLoad({ durationMs: FAULTS_FULL ? 60_000 : 15_000 });
      // A failpoint start only dies at its 2nd write: on a slow box the sinks can still be in
      // their failpoint starts when the load ends, with too few records left to reach the 2nd
      // write. A trickle (20 events/s) keeps records coming until both are past them (bounded).
      const end = new AbortController();
      const trickleLedger = `${run.ledgerPath}.trickle`;
      const trickle = run.runLoad(
        { durationMs: 900_000, rate: 20, batch: 10, concurrency: 1, ledgerPath: trickleLedger },
        end.signal,
      );
      const deadline = Date.now() + 300_000;
      try {
        while (["hot-sink", "lake-sink"].some((name) => run.supervisor.starts(name) <= KILLS)) {
          assert.ok(Date.now() < deadline, "the failpoint starts did not all end within 5 minutes");
          await sleep(500);
        }
      } finally {
        end.abort();
      }
      const trickled = await trickle;
      // One ledger for the check: the trickle's acknowledged ids after the load's.
      await Deno.writeTextFile(run.ledgerPath, await Deno.readTextFile(trickleLedger), {
        append: true,
      });
      assert.ok(load.accepted > 0, "the load generator got events accepted");
      await run.supervisor.waitReady("hot-sink");
      await run.supervisor.waitReady("lake-sink");
      const checks = await run.converge({ timeoutMs: FAULTS_FULL ? 300_000 : 120_000 });
      const hits = await run.failpointHits();
      run.report("failpoints in the sinks (Kafka)", load, {
        "events of the trickle": trickled.accepted,
        ...hits,
        "hot-sink SIGKILL exits": run.supervisor.unrequestedKills("hot-sink"),
        "lake-sink SIGKILL exits": run.supervisor.unrequestedKills("lake-sink"),
      }, checks);
      assert.ok((hits["timescale.after-insert-before-offset-commit"] ?? 0) >= KILLS);
      assert.ok((hits["delta.after-commit-before-offset-commit"] ?? 0) >= KILLS);
      assert.equal(run.supervisor.unrequestedKills("hot-sink"), KILLS);
      assert.equal(run.supervisor.unrequestedKills("lake-sink"), KILLS);
      assertExactlyOnce(checks, load.accepted + trickled.accepted);
      run.passed();
    } finally {
      await run.dispose();
    }
  },
);
