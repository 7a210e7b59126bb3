/**
 * The lake sink's S3 traffic on SeaweedFS against s3proxy (deploy/s3, the baseline), from one run:
 * (1) sequential `If-None-Match: *` creates of new `_delta_log` keys, as each commit sends, and
 * (2) DeltaStore writes of whole batches (Parquet upload + commit). The two servers take turns,
 * round by round, so the machine's load falls on both alike. Prints operations/s of each and the
 * ratio SeaweedFS / s3proxy (above 1: SeaweedFS is faster).
 *
 * Run: deno run -A bench/s3_server_bench.ts [--puts 200] [--batches 10] [--batch 5000] [--rounds 3]
 * Needs both servers: bash deploy/up.sh s3 seaweedfs (SEAWEEDFS_S3_ENDPOINT, default :8333).
 */
import { parseArgs } from "node:util";
import { DeltaStore } from "../sinks/delta/delta_store.ts";
import { sampleBatch } from "../sinks/delta/testkit/events.ts";
import { type TestS3, testS3, testS3Store } from "../sinks/delta/testkit/s3_test_env.ts";

/** Operations per second of one server in one kind of work, over all rounds. */
interface Rates {
  putsPerSecond: number;
  batchesPerSecond: number;
}

async function conditionalPuts(s3: TestS3, count: number): Promise<number> {
  const store = testS3Store(s3, `bench/s3-server/${crypto.randomUUID()}`);
  const body = new TextEncoder().encode('{"commitInfo":{}}\n');
  try {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      if (!(await store.putIfAbsent(`_delta_log/${String(i).padStart(20, "0")}.json`, body))) {
        throw new Error(`${s3.endpoint}: a create of a new key was refused`);
      }
    }
    return performance.now() - start;
  } finally {
    for (const object of await store.list("")) await store.delete(object.key);
    await store.close();
  }
}

async function batchWrites(s3: TestS3, batches: number, size: number): Promise<number> {
  const store = testS3Store(s3, `bench/s3-server/${crypto.randomUUID()}`);
  const table = await DeltaStore.open({ objects: store, sinkName: "bench", checkpointInterval: 0 });
  const work = Array.from(
    { length: batches },
    (_, i) => sampleBatch(size, { firstOffset: BigInt(i * size) }),
  );
  try {
    const start = performance.now();
    for (const batch of work) await table.write(batch);
    return performance.now() - start;
  } finally {
    await table.close();
    const cleanup = testS3Store(s3, store.options.prefix);
    for (const object of await cleanup.list("")) await cleanup.delete(object.key);
    await cleanup.close();
  }
}

/** Runs the rounds, servers alternating; returns each server's rates. */
export async function runS3ServerBench(
  servers: Record<string, TestS3>,
  options: { puts: number; batches: number; batch: number; rounds: number },
): Promise<Record<string, Rates>> {
  const totals = Object.fromEntries(
    Object.keys(servers).map((name) => [name, { putMs: 0, batchMs: 0 }]),
  );
  for (let round = 0; round < options.rounds; round++) {
    const order = Object.keys(servers);
    if (round % 2 === 1) order.reverse();
    for (const name of order) {
      totals[name].putMs += await conditionalPuts(servers[name], options.puts);
      totals[name].batchMs += await batchWrites(servers[name], options.batches, options.batch);
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([name, t]) => [name, {
      putsPerSecond: (options.puts * options.rounds) / (t.putMs / 1000),
      batchesPerSecond: (options.batches * options.rounds) / (t.batchMs / 1000),
    }]),
  );
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      puts: { type: "string", default: "200" },
      batches: { type: "string", default: "10" },
      batch: { type: "string", default: "5000" },
      rounds: { type: "string", default: "3" },
    },
  });
  const baseline = testS3();
  const seaweedEndpoint = Deno.env.get("SEAWEEDFS_S3_ENDPOINT") ?? "http://127.0.0.1:8333";
  const seaweedfs = {
    ...baseline,
    endpoint: seaweedEndpoint,
    env: { ...baseline.env, S3_ENDPOINT: seaweedEndpoint },
  };
  const rates = await runS3ServerBench({ s3proxy: baseline, seaweedfs }, {
    puts: Number(values.puts),
    batches: Number(values.batches),
    batch: Number(values.batch),
    rounds: Number(values.rounds),
  });
  for (const [name, r] of Object.entries(rates)) {
    console.log(
      `${name}: ${r.putsPerSecond.toFixed(1)} conditional PUTs/s, ` +
        `${r.batchesPerSecond.toFixed(2)} batches/s (${values.batch} rows each)`,
    );
  }
  console.log(
    `ratio seaweedfs / s3proxy: conditional PUTs ${
      (rates.seaweedfs.putsPerSecond / rates.s3proxy.putsPerSecond).toFixed(2)
    }, batch writes ${
      (rates.seaweedfs.batchesPerSecond / rates.s3proxy.batchesPerSecond).toFixed(2)
    }`,
  );
}
