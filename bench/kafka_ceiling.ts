/**
 * The broker's own ceiling: runs Kafka's `kafka-producer-perf-test`
 * (org.apache.kafka.tools.ProducerPerformance from the tools jar that deploy/kafka installs)
 * with the ingest's producer settings — acks=all, idempotent, the same compression and linger —
 * and prints records/s, so ingest benchmarks can report their throughput as a ratio to it.
 *
 * Usage: deno run -A bench/kafka_ceiling.ts [--records 200000] [--record-size 500]
 *   [--compression gzip] [--linger-ms 5]      (the broker must be up: bash deploy/up.sh kafka)
 */
import { fileURLToPath } from "node:url";
import { deleteTopics, ensureTopics } from "../ingest/stream/kafka/mod.ts";
import { kafkaBrokerPid, startCpuMeter } from "./process_cpu.ts";

/** Settings of one ceiling run. */
export interface CeilingOptions {
  brokers: string[];
  records: number;
  recordSize: number;
  compression: string;
  lingerMs: number;
  partitions: number;
}

/** What the perf test measured. */
export interface CeilingResult {
  recordsPerSecond: number;
  megabytesPerSecond: number;
  summary: string;
  /** CPU of the perf test's JVM and of the broker while it ran (milliseconds, cores). */
  cpu: Record<string, { cpuMs: number; cores: number }>;
}

const deployDir = fileURLToPath(new URL("../deploy/", import.meta.url));

/** Runs ProducerPerformance against a fresh topic and returns its summary figures. */
export async function runKafkaCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const version = (await Deno.readTextFile(`${deployDir}kafka/pom.xml`))
    .match(/<kafka.version>(.*)<\/kafka.version>/)![1];
  const libs = `${deployDir}.cache/kafka-${version}/libs`;
  const topic = `bench.ceiling.${Date.now()}`;
  await ensureTopics({ brokers: options.brokers, topic, partitions: options.partitions });
  try {
    const child = new Deno.Command("java", {
      args: [
        "-Xmx512m",
        `-Dlog4j2.configurationFile=${deployDir}kafka/tools-log4j2.properties`,
        "-cp",
        `${libs}/*`,
        "org.apache.kafka.tools.ProducerPerformance",
        "--topic",
        topic,
        "--num-records",
        String(options.records),
        "--record-size",
        String(options.recordSize),
        "--throughput",
        "-1",
        "--producer-props",
        `bootstrap.servers=${options.brokers.join(",")}`,
        "acks=all",
        "enable.idempotence=true",
        `compression.type=${options.compression}`,
        `linger.ms=${options.lingerMs}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const meter = await startCpuMeter({ perfTest: child.pid, broker: await kafkaBrokerPid() });
    const result = await child.output();
    const cpu = await meter.stop();
    const out = new TextDecoder().decode(result.stdout);
    if (!result.success) {
      throw new Error(
        `ProducerPerformance failed: ${out}${new TextDecoder().decode(result.stderr)}`,
      );
    }
    // Last line: "N records sent, R records/sec (M MB/sec), ... ms avg latency, ..."
    const summary = out.trim().split("\n").at(-1)!;
    const match = summary.match(/([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/);
    if (!match) throw new Error(`unexpected ProducerPerformance output: ${summary}`);
    return {
      recordsPerSecond: Number(match[1]),
      megabytesPerSecond: Number(match[2]),
      summary,
      cpu,
    };
  } finally {
    await deleteTopics({ brokers: options.brokers }, [topic, `${topic}.dlq`]);
  }
}

if (import.meta.main) {
  const flags = new Map<string, string>();
  for (let i = 0; i < Deno.args.length; i += 2) {
    flags.set(Deno.args[i].replace(/^--/, ""), Deno.args[i + 1]);
  }
  const options: CeilingOptions = {
    brokers: (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(","),
    records: Number(flags.get("records") ?? 200_000),
    recordSize: Number(flags.get("record-size") ?? 500),
    compression: flags.get("compression") ?? Deno.env.get("KAFKA_COMPRESSION") ?? "gzip",
    lingerMs: Number(flags.get("linger-ms") ?? Deno.env.get("KAFKA_LINGER_MS") ?? 5),
    partitions: Number(flags.get("partitions") ?? 6),
  };
  const result = await runKafkaCeiling(options);
  console.log(result.summary);
  console.log(
    `kafka-producer-perf-test: ${Math.round(result.recordsPerSecond)} records/s ` +
      `(${options.recordSize} B records, acks=all, idempotent, ${options.compression}, ` +
      `linger ${options.lingerMs} ms, ${options.partitions} partitions)`,
  );
}
