/**
 * Opens what a sink reads and dead-letters through: a Kafka consumer group member and publisher
 * (creating the topics when missing), or a consumer and publisher of the embedded log.
 */
import type { Logger } from "../../ingest/observability/logger.ts";
import type { Consumer } from "../../ingest/stream/consumer.ts";
import {
  createKafkaConsumer,
  createKafkaPublisher,
  ensureTopics,
  KafkaEndOffsets,
} from "../../ingest/stream/kafka/mod.ts";
import { LocalEndOffsets, type LocalLog, openLocalLog } from "../../ingest/stream/local/mod.ts";
import type { EndOffsetsProbe } from "../loop/sink_metrics.ts";
import type { Publisher } from "../../ingest/stream/publisher.ts";
import { deadLetterTopicOf } from "../../ingest/stream/topics.ts";
import type { SinkLogConfig } from "./sink_env.ts";

/** A sink's view of the event log. */
export interface SinkLog {
  consumer: Consumer;
  /** Publisher of the dead-letter topic. */
  deadLetter: Publisher;
  deadLetterTopic: string;
  /** The log's end offsets, for the consumer-lag gauge. */
  endOffsets: EndOffsetsProbe;
  /** "kafka" or "local", and where: brokers or folder. */
  kind: SinkLogConfig["kind"];
  where: string;
  /** Leaves the group and releases what this sink opened (a shared local log stays open). */
  close(): Promise<void>;
}

/** Options of `openSinkLog`. */
export interface OpenSinkLogOptions {
  /** An embedded log already open in this process (the dev process shares the ingest's). */
  sharedLocalLog?: LocalLog;
  logger: Logger;
}

/** Opens the consumer and the dead-letter publisher described by `config`. */
export async function openSinkLog(
  config: SinkLogConfig,
  options: OpenSinkLogOptions,
): Promise<SinkLog> {
  const deadLetterTopic = deadLetterTopicOf(config.topic);
  if (config.kind === "kafka") {
    const { brokers, clientId, groupId, topic, partitions, sessionTimeoutMs } = config;
    // Creating them here too makes start order free (the broker does not auto-create topics).
    await ensureTopics({ brokers, clientId, topic, partitions });
    const deadLetter = createKafkaPublisher({ brokers, clientId });
    let consumer: Consumer;
    try {
      consumer = await createKafkaConsumer({ brokers, clientId, groupId, topic, sessionTimeoutMs });
    } catch (error) {
      await deadLetter.close();
      throw error;
    }
    const endOffsets = new KafkaEndOffsets({ brokers, clientId }, topic);
    return {
      consumer,
      deadLetter,
      deadLetterTopic,
      endOffsets,
      kind: "kafka",
      where: brokers.join(","),
      async close() {
        try {
          await consumer.close();
        } finally {
          await Promise.all([deadLetter.close(), endOffsets.close()]);
        }
      },
    };
  }
  const shared = options.sharedLocalLog;
  const local = shared ?? await openLocalLog({
    dir: config.dir,
    partitions: config.partitions,
    log: (msg, fields) => options.logger.warn(msg, { component: "local-log", ...fields }),
  });
  const consumer = await local.consumer({ topic: config.topic, group: config.groupId });
  const where = shared?.options.dir ?? config.dir;
  const endOffsets = new LocalEndOffsets(where, config.topic);
  return {
    consumer,
    // The log's writer lock belongs to the ingest when it runs in another process: take it only
    // if a record ever has to be dead-lettered.
    deadLetter: shared ? await shared.publisher() : lazyPublisher(() => local.publisher()),
    deadLetterTopic,
    endOffsets,
    kind: "local",
    where,
    async close() {
      endOffsets.close();
      await consumer.close();
      if (!shared) await local.close();
    },
  };
}

/** A publisher opened on first publish; closing it closes nothing it did not open. */
function lazyPublisher(open: () => Promise<Publisher>): Publisher {
  let opened: Promise<Publisher> | undefined;
  return {
    async publish(topic, records) {
      opened ??= open();
      return (await opened.catch((error) => {
        opened = undefined;
        throw error;
      })).publish(topic, records);
    },
    isReady: () => Promise.resolve(true),
    async close() {
      // The owning LocalLog closes the publisher it handed out.
    },
  };
}
