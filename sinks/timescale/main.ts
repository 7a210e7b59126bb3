/**
 * The hot sink: reads the event topic (Kafka, or the embedded log) as its consumer group and
 * loads every event into PostgreSQL (or PGlite) exactly once. Stops cleanly on SIGINT/SIGTERM.
 *
 * Run: `deno run -A sinks/timescale/main.ts` (configuration: docs/configuration.md, "Hot sink").
 *
 * @module
 */
import { createLogger } from "../../ingest/observability/logger.ts";
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { Publisher } from "../../ingest/stream/publisher.ts";
import { createKafkaConsumer, createKafkaPublisher } from "../../ingest/stream/kafka/mod.ts";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { runSinkLoop } from "../loop/mod.ts";
import { loadHotSinkConfig } from "./config.ts";
import { openHotStore } from "./open_hot_store.ts";
import { TimescaleStore } from "./timescale_store.ts";

if (import.meta.main) {
  const config = loadHotSinkConfig();
  const log = createLogger({ fields: { service: "analytics-sink-timescale" } });
  const hot = await openHotStore(config.target, { timescale: config.timescale });
  let consumer: Consumer;
  let deadLetter: Publisher;
  let closeLog = async () => {};
  if (config.log.kind === "kafka") {
    const { brokers, groupId, clientId } = config.log;
    consumer = await createKafkaConsumer({ brokers, clientId, groupId, topic: EVENTS_TOPIC });
    deadLetter = createKafkaPublisher({ brokers, clientId });
  } else {
    const local = await openLocalLog({ dir: config.log.dir });
    consumer = await local.consumer({ topic: EVENTS_TOPIC, group: config.log.groupId });
    deadLetter = await local.publisher();
    closeLog = () => local.close();
  }
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => controller.abort());
  }
  const store = new TimescaleStore(hot.loader);
  log.info("hot sink started", {
    store: config.target.kind,
    log: config.log.kind,
    timescale: hot.timescale,
    batch: config.batch,
  });
  try {
    const summary = await runSinkLoop({
      consumer,
      store,
      deadLetter,
      batch: config.batch,
      log,
      signal: controller.signal,
      onBatch: (r) =>
        log.debug("batch stored", {
          records: r.records,
          deadLettered: r.deadLettered,
          ms: r.durationMs,
        }),
    });
    log.info("hot sink stopped", { ...summary, inserted: store.inserted });
  } finally {
    await consumer.close();
    await deadLetter.close();
    await closeLog();
    await hot.close();
  }
}
