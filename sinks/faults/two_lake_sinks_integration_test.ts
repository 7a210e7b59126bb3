/**
 * Two lake sink instances at once on the same Delta table under steady load through ingest →
 * Kafka: first in the same consumer group (the partitions are split between them, and one of
 * them is SIGKILLed so the other takes its partitions over), then in two groups with the same
 * `txn` app ids racing on every batch (the txn versions must keep each row once). Every
 * acknowledged event is in the table exactly once.
 */
import assert from "node:assert/strict";
import { FAULTS_FULL, faultTest } from "./fault_services.ts";
import { FaultRun } from "./fault_run.ts";

faultTest("two lake sinks in one group on one table: nothing lost or doubled", async () => {
  const run = await FaultRun.create({ name: "twolake" });
  try {
    await run.startIngest();
    // Not restarted after its kill: lake-sink-2 must then take over every partition.
    await run.startLakeSink("lake-sink-1", { restart: false });
    await run.startLakeSink("lake-sink-2");
    const durationMs = FAULTS_FULL ? 60_000 : 15_000;
    const loading = run.runLoad({ durationMs });
    await new Promise((r) => setTimeout(r, durationMs / 2));
    // A rebalance under load: one member dies and the other takes its partitions.
    run.supervisor.kill("lake-sink-1");
    const load = await loading;
    const checks = await run.converge({ stores: ["delta"] });
    run.report("two lake sinks, one group, one table (Kafka)", load, {
      "lake instances": 2,
      "lake-sink-1 SIGKILL": 1,
    }, checks);
    const [delta] = checks;
    assert.equal(delta.missing, 0, `lost ${delta.missingSample.join(", ")}`);
    assert.equal(delta.duplicated, 0, `doubled ${delta.duplicatedSample}`);
    assert.equal(delta.expected, load.accepted);
    const log2 = await Deno.readTextFile(`${run.workDir}/lake-sink-2.log`);
    assert.match(log2, /assignment changed/, "the second instance took partitions over");
    run.passed();
  } finally {
    await run.dispose();
  }
});

faultTest(
  "two lake sinks in different groups racing on one table: txn keeps rows once",
  async () => {
    const run = await FaultRun.create({ name: "racelake" });
    try {
      await run.startIngest();
      // Same DELTA_SINK_NAME (txn app ids), different consumer groups: both read every record
      // and race to commit each batch; the loser finds its records covered by the winner's txn.
      const env = { DELTA_SINK_NAME: "faults-lake" };
      await run.startLakeSink("lake-sink-a", { env: { ...env, KAFKA_GROUP_ID: `${run.topic}.a` } });
      await run.startLakeSink("lake-sink-b", { env: { ...env, KAFKA_GROUP_ID: `${run.topic}.b` } });
      const load = await run.runLoad({ durationMs: FAULTS_FULL ? 60_000 : 12_000 });
      const checks = await run.converge({ stores: ["delta"] });
      run.report("two lake sinks, two groups, one table (Kafka)", load, {
        "lake instances": 2,
      }, checks);
      const [delta] = checks;
      assert.equal(delta.missing, 0, `lost ${delta.missingSample.join(", ")}`);
      assert.equal(delta.duplicated, 0, `doubled ${delta.duplicatedSample}`);
      assert.equal(delta.expected, load.accepted);
      run.passed();
    } finally {
      await run.dispose();
    }
  },
);
