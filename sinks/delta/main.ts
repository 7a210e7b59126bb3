/**
 * The lake sink: reads the event topic (Kafka, or the embedded log) as its consumer group and
 * appends every event exactly once to the Delta table on S3 (or a local folder). Refuses to start
 * when the store does not make commits atomic. Stops cleanly on SIGINT/SIGTERM.
 *
 * Run: `deno run -A sinks/delta/main.ts` (configuration: docs/configuration.md, "Lake sink").
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
import { loadLakeSinkConfig } from "./config.ts";
import { DeltaStore } from "./delta_store.ts";
import { openObjectStore } from "./open_object_store.ts";
import { verifyAtomicCreate } from "./startup_check.ts";

if (import.meta.main) {
  const config = loadLakeSinkConfig();
  const log = createLogger({ fields: { service: "analytics-sink-delta" } });
  const objects = await openObjectStore(config.target);
  try {
    await verifyAtomicCreate(objects);
  } catch (error) {
    log.error("refusing to run: the store cannot make Delta commits atomic", {
      location: objects.location,
      error: String(error),
    });
    await objects.close();
    Deno.exit(2);
  }
  const store = await DeltaStore.open({
    objects,
    sinkName: config.sinkName,
    tableName: config.tableName,
    checkpointInterval: config.checkpointInterval,
  });
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
  log.info("lake sink started", {
    table: objects.location,
    version: store.version,
    log: config.log.kind,
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
        log.debug("batch committed", {
          records: r.records,
          deadLettered: r.deadLettered,
          version: store.version,
          ms: r.durationMs,
        }),
    });
    log.info("lake sink stopped", { ...summary, version: store.version });
  } finally {
    await consumer.close();
    await deadLetter.close();
    await closeLog();
    await store.close();
  }
}
