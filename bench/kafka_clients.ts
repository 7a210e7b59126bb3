/**
 * Compares the two Kafka clients that run under Deno (kafkajs 2.2.4 and @platformatic/kafka)
 * against the real broker, in one run: producer throughput (batches of 100 records of ~500
 * bytes, acks=all, idempotent, gzip, several batches in flight) and correctness (every record
 * sent lands exactly once: the topic's end offsets sum to the number sent).
 *
 * Usage: deno run -A bench/kafka_clients.ts [--records 100000] [--concurrency 8] [--batch 100]
 */
import kafkajs from "kafkajs";
import { Admin, Producer } from "@platformatic/kafka";
import { Buffer } from "node:buffer";
import { partitionOf } from "../ingest/stream/partitioner.ts";

const args = parseArgs(Deno.args);
const brokers = (Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092").split(",");
const totalRecords = args.records ?? 100_000;
const concurrency = args.concurrency ?? 8;
const batchSize = args.batch ?? 100;
const partitions = 6;
const valueBytes = 500;
const compression = (Deno.env.get("BENCH_COMPRESSION") ?? "gzip") as "gzip" | "none" | "lz4";
const only = Deno.env.get("BENCH_ONLY");

interface ClientUnderTest {
  name: string;
  send(
    topic: string,
    batch: { key: string; value: Uint8Array; partition: number }[],
  ): Promise<void>;
  close(): Promise<void>;
}

function parseArgs(argv: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, "")] = Number(argv[i + 1]);
  return out;
}

/** A payload of about 500 bytes that gzip compresses like a real encoded event would. */
function makeValue(i: number): Uint8Array {
  const text = JSON.stringify({
    event_id: crypto.randomUUID(),
    n: i,
    channel: ["web", "mobile", "chat", "speech", "agent"][i % 5],
    url: `https://shop.example.com/products/${i % 977}?utm_source=news&utm_campaign=c${i % 13}`,
    ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0",
    text: crypto.randomUUID() + crypto.randomUUID(),
  });
  const bytes = new TextEncoder().encode(text.padEnd(valueBytes, " "));
  return bytes.subarray(0, valueBytes);
}

async function kafkajsClient(): Promise<ClientUnderTest> {
  const kafka = new kafkajs.Kafka({
    clientId: "bench-kafkajs",
    brokers,
    logLevel: kafkajs.logLevel.ERROR,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  return {
    name: "kafkajs 2.2.4",
    async send(topic, batch) {
      await producer.send({
        topic,
        acks: -1,
        compression: compression === "gzip"
          ? kafkajs.CompressionTypes.GZIP
          : kafkajs.CompressionTypes.None,
        messages: batch.map((r) => ({
          key: r.key,
          value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
          partition: r.partition,
        })),
      });
    },
    close: () => producer.disconnect(),
  };
}

function platformaticClient(): Promise<ClientUnderTest> {
  const producer = new Producer({
    clientId: "bench-platformatic",
    bootstrapBrokers: brokers,
    idempotent: true,
    acks: -1,
    compression,
    autocreateTopics: false,
  });
  return Promise.resolve({
    name: "@platformatic/kafka 2.12.1",
    async send(topic, batch) {
      await producer.send({
        messages: batch.map((r) => ({
          topic,
          key: Buffer.from(r.key),
          value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
          partition: r.partition,
        })),
      });
    },
    close: () => producer.close(),
  });
}

async function endOffsetSum(admin: Admin, topic: string): Promise<bigint> {
  const { Consumer } = await import("@platformatic/kafka");
  const consumer = new Consumer({
    clientId: "bench-offsets",
    groupId: "bench-offsets",
    bootstrapBrokers: brokers,
  });
  try {
    const offsets = await consumer.listOffsets({ topics: [topic] });
    return (offsets.get(topic) ?? []).reduce((a, b) => a + b, 0n);
  } finally {
    await consumer.close();
    void admin;
  }
}

async function run(client: ClientUnderTest, admin: Admin) {
  const topic = `bench.clients.${client.name.replace(/[^a-z]/gi, "")}.${Date.now()}`;
  await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  const records = Array.from({ length: totalRecords }, (_, i) => {
    const key = `user-${i % 5000}`;
    return { key, value: makeValue(i), partition: partitionOf(key, partitions) };
  });
  // Warm up connections and the idempotent producer id.
  await client.send(topic, records.slice(0, batchSize));
  let next = batchSize;
  const started = performance.now();
  const worker = async () => {
    while (next < totalRecords) {
      const batch = records.slice(next, next + batchSize);
      next += batchSize;
      await client.send(topic, batch);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  const onBroker = await endOffsetSum(admin, topic);
  await admin.deleteTopics({ topics: [topic] });
  const rate = (totalRecords - batchSize) / seconds;
  return { client: client.name, rate, onBroker, exact: onBroker === BigInt(totalRecords) };
}

const admin = new Admin({ clientId: "bench-admin", bootstrapBrokers: brokers });
try {
  const results = [];
  for (const make of [kafkajsClient, platformaticClient, kafkajsClient, platformaticClient]) {
    if (only && !make.name.startsWith(only)) continue;
    const r = await run(await make(), admin);
    results.push(r);
    console.log(
      `${r.client.padEnd(28)} ${Math.round(r.rate).toString().padStart(8)} records/s  ` +
        `on broker ${r.onBroker}/${totalRecords} ${r.exact ? "exact" : "MISMATCH"}`,
    );
  }
  console.log(
    `(batches of ${batchSize} x ${valueBytes} B, ${concurrency} in flight, acks=all, ${compression}, idempotent)`,
  );
} finally {
  await admin.close();
}
