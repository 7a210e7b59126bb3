import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ASSUMED, MEASURED, planCapacity } from "./model.ts";
import { formatBytes, renderPlans } from "./report.ts";

Deno.test("replicas: the rate over the measured per-process rate at the target utilisation", () => {
  const plan = planCapacity(10_000);
  const perIngest = MEASURED.ingestEventsPerSecondPerReplica * ASSUMED.targetUtilisation;
  equal(plan.ingestReplicas, Math.ceil(10_000 / perIngest));
  equal(plan.hotSinkReplicas, 5); // 10,000 / (3,793 × 0.6) = 4.39
  equal(plan.lakeSinkReplicas, 1); // 10,000 / (16,700 × 0.6) = 0.998
  equal(plan.programCores, plan.ingestReplicas + 5 + 1);
});

Deno.test("a small rate keeps the floors: 2 ingest replicas, 6 partitions, one machine", () => {
  const plan = planCapacity(100);
  deepEqual(
    [plan.ingestReplicas, plan.hotSinkReplicas, plan.lakeSinkReplicas, plan.partitions],
    [2, 1, 1, 6],
  );
  ok(plan.advice[0].startsWith("one machine is enough"), plan.advice[0]);
  equal(plan.advice.length, 1);
});

Deno.test("partitions cover the sink replicas with growth room, in multiples of 6", () => {
  for (const rate of [10_000, 100_000, 1_000_000, 37_000]) {
    const plan = planCapacity(rate);
    equal(plan.partitions % 6, 0);
    ok(plan.partitions >= Math.max(plan.hotSinkReplicas, plan.lakeSinkReplicas) * 2);
  }
  equal(planCapacity(10_000).partitions, 12); // 5 hot sink replicas × 2 → 10 → 12
});

/** Asserts `actual` is within one part in a billion of `expected` (float order of operations). */
function near(actual: number, expected: number) {
  ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-9, `${actual} is not ${expected}`);
}

Deno.test("storage: bytes per day from the event size, ratios, replication and retention", () => {
  const plan = planCapacity(10_000);
  const rawPerDay = 10_000 * 86_400 * MEASURED.encodedBytesPerEvent;
  near(plan.brokerBytesPerDay, rawPerDay * ASSUMED.kafkaCompressionRatio * 3);
  near(plan.brokerBytesRetained, plan.brokerBytesPerDay * 7);
  near(plan.hotStoreBytesPerDay, 10_000 * 86_400 * MEASURED.postgresBytesPerRow);
  near(plan.hotStoreBytesSteadyState, plan.hotStoreBytesPerDay * (7 + 393 * 0.1));
  near(plan.lakeBytesPerDay, 10_000 * 86_400 * ASSUMED.parquetBytesPerRow);
});

Deno.test("the plan is linear in the rate where no floor applies", () => {
  const small = planCapacity(100_000);
  const large = planCapacity(1_000_000);
  equal(large.brokerBytesPerDay / small.brokerBytesPerDay, 10);
  equal(large.lakeBytesPerDay / small.lakeBytesPerDay, 10);
  ok(large.hotSinkReplicas >= 10 * small.hotSinkReplicas - 10);
});

Deno.test("advice names the hot sink first, and PostgreSQL's limit only past one server", () => {
  const tenK = planCapacity(10_000);
  ok(tenK.advice[0].startsWith("hot sink first"), tenK.advice[0]);
  ok(!tenK.advice.some((line) => line.startsWith("one PostgreSQL server")));
  ok(planCapacity(100_000).advice.some((line) => line.startsWith("one PostgreSQL server")));
});

Deno.test("assumptions are inputs: a better compression ratio shrinks the broker disk", () => {
  const base = planCapacity(10_000);
  const better = planCapacity(10_000, { ...ASSUMED, kafkaCompressionRatio: 0.175 });
  equal(better.brokerBytesPerDay * 2, base.brokerBytesPerDay);
});

Deno.test("a rate that is not positive is refused", () => {
  throws(() => planCapacity(0), /positive/);
  throws(() => planCapacity(Number.NaN), /positive/);
});

Deno.test("formatBytes and renderPlans", () => {
  equal(formatBytes(999), "999 B");
  equal(formatBytes(476_280_000_000), "476 GB");
  equal(formatBytes(4_762_800_000_000), "4.76 TB");
  const text = renderPlans([planCapacity(10_000), planCapacity(100_000)]);
  ok(/^events\/s\s+10,000\s+100,000$/m.test(text), text);
  ok(text.includes("At 100,000 events/s, change first:"));
});
