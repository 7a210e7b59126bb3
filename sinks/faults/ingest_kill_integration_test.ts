/**
 * The ingest SIGKILLed with requests in flight, repeatedly, under load from retrying clients:
 * first at the failpoint `ingest.after-publish-before-answer` (the batch is on Kafka, the client
 * not answered: every call in flight at that moment fails, some of them already published), then
 * at random moments. The supervisor restarts it on the same ports. Every acknowledged event must
 * be in both stores exactly once (re-sent copies of published events are absorbed by the stores'
 * dedup), and both consumer groups' lag must return to 0.
 */
import assert from "node:assert/strict";
import { assertExactlyOnce } from "./ledger_check.ts";
import { assertNoLag, topicRecordCount } from "./consumer_lag.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

const FAILPOINT_STARTS = FAULTS_FULL ? 8 : 3;
const RANDOM_KILLS = FAULTS_FULL ? 10 : 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

faultTest("the ingest SIGKILLed with requests in flight: nothing lost or doubled", async () => {
  const run = await FaultRun.create({ name: "ingestkill" });
  try {
    await run.startIngest({
      // The 12th batch of each of the first starts: about 1.5 s into the load at 400 events/s.
      envForStart: run.failpointsForFirstStarts(
        "ingest.after-publish-before-answer=kill@12",
        FAILPOINT_STARTS,
      ),
    });
    await run.startHotSink();
    await run.startLakeSink();
    const end = new AbortController();
    const loading = run.runLoad({ durationMs: 600_000 }, end.signal);
    const deadline = Date.now() + 120_000;
    while (run.supervisor.starts("ingest") <= FAILPOINT_STARTS) {
      assert.ok(Date.now() < deadline, "the failpoint kills did not all happen within 2 minutes");
      await sleep(200);
    }
    for (let kill = 0; kill < RANDOM_KILLS; kill++) {
      await run.supervisor.waitReady("ingest");
      await sleep(1_000 + Math.random() * 2_000);
      run.supervisor.kill("ingest");
    }
    await run.supervisor.waitReady("ingest");
    await sleep(3_000);
    end.abort();
    const load = await loading;
    const checks = await run.converge();
    const lag = await run.waitForZeroLag();
    const hits = (await run.failpointHits())["ingest.after-publish-before-answer"] ?? 0;
    const onTopic = await topicRecordCount(run.services.brokers, run.topic);
    const hotRows = checks.find((c) => c.store === "postgres")!.rows;
    run.report("ingest SIGKILLed with requests in flight (Kafka)", load, {
      "ingest.after-publish-before-answer kills": hits,
      "ingest SIGKILL at random": RANDOM_KILLS,
      "records on the topic beyond the stored events (re-sent copies)": onTopic - hotRows,
    }, checks);
    console.log(`  consumer lag after recovery: hot ${lag.hot.total}, lake ${lag.lake.total}`);
    assert.equal(hits, FAILPOINT_STARTS);
    assert.equal(run.supervisor.starts("ingest"), 1 + FAILPOINT_STARTS + RANDOM_KILLS);
    assert.ok(load.retried > 0, "clients retried the calls the kills cut");
    // The failpoint fires after a publish: those events were on the topic before their re-send.
    assert.ok(onTopic > hotRows, "some events reached the topic twice and were stored once");
    assertExactlyOnce(checks, load.accepted);
    assertNoLag(lag);
    run.passed();
  } finally {
    await run.dispose();
  }
});
