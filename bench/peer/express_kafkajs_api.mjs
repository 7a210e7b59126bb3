/**
 * The baseline peer of benchmark scenario 2: the original product's API, rebuilt as it was
 * described (Node.js + Express + a Kafka producer). One JSON event per `POST /analytics`, checked
 * for `event_type`, `channel` and `session_id`, sent to Kafka with acks=all (gzip,
 * keyed by session id) before the answer. Runs under Node (`node bench/peer/express_kafkajs_api.mjs`),
 * as the original did, not under Deno.
 *
 * Env: PEER_PORT (0 = any free port), KAFKA_BROKERS, PEER_TOPIC, PEER_PARTITIONS.
 * Prints one line `listening <port>` on stdout when it is ready.
 */
import express from "express";
import kafkajs from "kafkajs";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const topic = process.env.PEER_TOPIC ?? "bench.peer.events";
const partitions = Number(process.env.PEER_PARTITIONS ?? "6");

const kafka = new kafkajs.Kafka({
  clientId: "express-peer",
  brokers,
  logLevel: kafkajs.logLevel.ERROR,
});
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
await admin.disconnect();

const producer = kafka.producer();
await producer.connect();

const app = express();
app.use(express.json({ limit: "1mb" }));
app.post("/analytics", async (req, res) => {
  const event = req.body;
  if (!event || typeof event !== "object") {
    res.status(400).json({ error: "body must be a JSON object" });
    return;
  }
  for (const field of ["event_type", "channel", "session_id"]) {
    if (typeof event[field] !== "string" || event[field] === "") {
      res.status(400).json({ error: `missing field: ${field}` });
      return;
    }
  }
  try {
    await producer.send({
      topic,
      acks: -1,
      compression: kafkajs.CompressionTypes.GZIP,
      messages: [{ key: event.session_id, value: JSON.stringify(event) }],
    });
    res.json({ success: true });
  } catch (error) {
    res.status(503).json({ error: String(error) });
  }
});
app.get("/health", (_req, res) => res.json({ status: "ok" }));

const server = app.listen(Number(process.env.PEER_PORT ?? "0"), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
const stop = async () => {
  server.close();
  await producer.disconnect();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
