import type { Logger } from "../observability/logger.ts";
import type { KafkaConnectionOptions } from "../stream/kafka/options.ts";
import { FileSuppressionLog, suppressionFilePath } from "./file_suppression_log.ts";
import { KafkaSuppressionLog } from "./kafka_suppression_log.ts";
import { suppressionTopicOf } from "./suppression_entry.ts";
import { SuppressionList, type SuppressionListOptions } from "./suppression_list.ts";

/** Where the event log is, which decides where its suppression list is. */
export type SuppressionSource =
  | { kind: "kafka"; connection: KafkaConnectionOptions; topic: string }
  | { kind: "local"; dir: string; topic: string };

/**
 * Opens the suppression list of an event topic: the compacted topic `<topic>.suppressions` on
 * Kafka, or `<dir>/suppressions/<topic>.ndjson` beside the embedded log; read whole before it
 * returns, then tailed.
 */
export async function openSuppressionList(
  source: SuppressionSource,
  options: SuppressionListOptions & { logger?: Logger } = {},
): Promise<SuppressionList> {
  const log = source.kind === "kafka"
    ? await KafkaSuppressionLog.open(source.connection, suppressionTopicOf(source.topic))
    : new FileSuppressionLog(suppressionFilePath(source.dir, source.topic));
  try {
    return await SuppressionList.open(log, options);
  } catch (error) {
    await log.close();
    throw error;
  }
}
