/**
 * The platform as deployed: the ingest, the hot sink and the lake sink as real processes (their
 * main.ts) on Kafka, PostgreSQL and S3, each run with its own topic, schema, prefix and groups.
 * The load generator's ledger is the truth both stores are compared with.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createKafkaPublisher } from "../../ingest/stream/kafka/mod.ts";
import { deadLetterTopicOf } from "../../ingest/stream/topics.ts";
import { readLedger } from "../../bench/loadgen/mod.ts";
import { readWithDeltaRs } from "../delta/testkit/delta_reader.ts";
import { FaultRun } from "../faults/fault_run.ts";
import { faultTest } from "../faults/fault_services.ts";
import { DLQ_HEADERS } from "../loop/dead_letter.ts";
import { lastOffsets, readRecords } from "./kafka_offsets.ts";

const EVENTS = 2_000;

faultTest(
  "distributed: ingest → Kafka → both sinks as processes: the ledger's N ids once each in PostgreSQL and Delta; a bad record is dead-lettered",
  async () => {
    const run = await FaultRun.create({ name: "e2e", log: "kafka", lake: "s3" });
    try {
      await run.startIngest();
      await run.startHotSink();
      await run.startLakeSink();

      // Halfway through, a record no sink can decode goes straight onto the topic.
      const brokers = run.services.brokers;
      // The load runs in a child process: halfway by the clock (EVENTS at 1 000 events/s).
      let badSent: Promise<void> | undefined;
      const halfway = setTimeout(() => {
        badSent = publishUndecodable(brokers, run.topic);
      }, EVENTS / 2);
      const load = await run.runLoad({
        events: EVENTS,
        durationMs: 120_000,
        rate: 1_000,
        batch: 50,
        retry: undefined,
      }).finally(() => clearTimeout(halfway));
      await (badSent ?? publishUndecodable(brokers, run.topic));
      assert.equal(load.accepted, EVENTS, JSON.stringify(load.errors));
      const ledger = await readLedger(run.ledgerPath);
      assert.equal(new Set(ledger).size, EVENTS);

      const checks = await run.converge({ timeoutMs: 120_000, stableMs: 2_000 });
      for (const check of checks) {
        assert.equal(check.missing, 0, `${check.store}: missing ${check.missingSample}`);
        assert.equal(check.duplicated, 0, `${check.store}: doubled ${check.duplicatedSample}`);
        assert.equal(check.rows, EVENTS, `${check.store} rows`);
      }

      // PostgreSQL by plain SQL: N rows, N distinct ids, the same set as the ledger.
      const sql = postgres(run.databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const [counts] = await sql<{ n: number; ids: number }[]>`
          SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM analytics_events`;
        assert.deepEqual(counts, { n: EVENTS, ids: EVENTS });
        const ids = await sql<{ id: string }[]>`SELECT event_id::text AS id FROM analytics_events`;
        assert.deepEqual(new Set(ids.map((r) => r.id)), new Set(ledger));
      } finally {
        await sql.end({ timeout: 2 });
      }

      // Delta as delta-rs reads it: N rows, N distinct ids, the ledger's ids, and per partition
      // a txn version equal to the partition's last offset (the dead letter's included).
      const last = await lastOffsets(brokers, run.topic);
      const appIds = [...last.keys()].map((p) => `${run.topic}.lake-${p}`);
      const expectedTxns = Object.fromEntries(
        [...last].map(([p, offset]) => [`${run.topic}.lake-${p}`, Number(offset)]),
      );
      let view = await readWithDeltaRs(run.lakeUri, {
        ids: true,
        appIds,
        env: run.services.s3.env,
      });
      for (let i = 0; i < 30 && !sameTxns(view.transaction_versions, expectedTxns); i++) {
        await new Promise((r) => setTimeout(r, 1_000));
        view = await readWithDeltaRs(run.lakeUri, { ids: true, appIds, env: run.services.s3.env });
      }
      assert.equal(view.row_count, EVENTS);
      assert.equal(view.distinct_event_ids, EVENTS);
      assert.deepEqual(new Set(view.event_ids), new Set(ledger));
      assert.deepEqual(view.transaction_versions, expectedTxns);

      // The undecodable record reached the dead-letter topic once per sink, with the reason.
      const dead = await readRecords(brokers, deadLetterTopicOf(run.topic), 2, 30_000);
      assert.deepEqual(dead.map((d) => d.headers[DLQ_HEADERS.sink]).sort(), ["delta", "timescale"]);
      for (const record of dead) {
        assert.equal(record.headers["test.marker"], "undecodable");
        assert.match(record.headers[DLQ_HEADERS.reason], /\S/);
        assert.equal(record.headers[DLQ_HEADERS.sourceTopic], run.topic);
      }

      // Every program stops on SIGTERM with status 0.
      await run.supervisor.stopAll();
      const unclean = run.supervisor.exits.filter((e) => e.requested && e.code !== 0);
      assert.deepEqual(unclean, []);
      run.passed();
    } finally {
      await run.dispose();
    }
  },
);

/** Publishes bytes that are not an encoded Event to the event topic. */
async function publishUndecodable(brokers: string[], topic: string): Promise<void> {
  const publisher = createKafkaPublisher({ brokers, clientId: "end-to-end-test" });
  try {
    const [outcome] = await publisher.publish(topic, [{
      key: "bad-record",
      value: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
      headers: { "test.marker": "undecodable" },
    }]);
    if (!outcome.ok) throw outcome.error;
  } finally {
    await publisher.close();
  }
}

function sameTxns(
  actual: Record<string, number | null>,
  expected: Record<string, number>,
): boolean {
  return Object.entries(expected).every(([id, v]) => actual[id] === v);
}
