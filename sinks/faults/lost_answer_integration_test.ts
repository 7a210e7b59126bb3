/**
 * Clients retrying batches whose answers they never received: the load goes through a proxy
 * that, at random, withholds the ingest's answer to a Track call (after the ingest published the
 * batch) and cuts the connection. The clients see the call fail and re-send the same event ids;
 * the topic then holds those events twice, and each store must still hold every acknowledged event
 * exactly once. Both consumer groups' lag must return to 0.
 */
import assert from "node:assert/strict";
import { assertExactlyOnce } from "./ledger_check.ts";
import { AnswerDroppingProxy } from "./answer_dropping_proxy.ts";
import { assertNoLag, topicRecordCount } from "./consumer_lag.ts";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

faultTest("answers lost after the ingest stored the batch: retries stored once", async () => {
  const run = await FaultRun.create({ name: "lostanswer" });
  let proxy: AnswerDroppingProxy | undefined;
  try {
    await run.startIngest();
    await run.startHotSink();
    await run.startLakeSink();
    proxy = AnswerDroppingProxy.start({
      target: { hostname: "127.0.0.1", port: run.ingestGrpcPort },
      dropProbability: 0.1,
    });
    const load = await run.runLoad({
      url: `http://127.0.0.1:${proxy.port}`,
      durationMs: FAULTS_FULL ? 60_000 : 15_000,
    });
    const dropped = proxy.droppedAnswers;
    await proxy.close();
    proxy = undefined;
    const checks = await run.converge();
    const lag = await run.waitForZeroLag();
    const onTopic = await topicRecordCount(run.services.brokers, run.topic);
    const hotRows = checks.find((c) => c.store === "postgres")!.rows;
    run.report("answers lost after the ingest published (proxy, Kafka)", load, {
      "answers withheld (connection cut)": dropped,
      "records on the topic beyond the stored events (re-sent copies)": onTopic - hotRows,
    }, checks);
    console.log(`  consumer lag after recovery: hot ${lag.hot.total}, lake ${lag.lake.total}`);
    assert.ok(dropped > 0, "the proxy withheld answers");
    assert.ok(load.retried > 0, "clients retried the calls whose answer was lost");
    assert.ok(onTopic > hotRows, "events whose answer was lost reached the topic again");
    assertExactlyOnce(checks, load.accepted);
    assertNoLag(lag);
    run.passed();
  } finally {
    await proxy?.close();
    await run.dispose();
  }
});
