/**
 * The suppression list: ids of deleted users (and their linked anonymous ids) whose events the
 * ingest refuses and the sinks and replays drop. Shared by every process through a compacted
 * Kafka topic, or a file beside the embedded log (docs/privacy.md).
 *
 * @module
 */
export {
  decodeEntry,
  encodeEntry,
  suppressedField,
  type SuppressedKind,
  type SuppressionEntry,
  suppressionTopicOf,
} from "./suppression_entry.ts";
export type { SuppressionLog } from "./suppression_log.ts";
export { FileSuppressionLog, suppressionFilePath } from "./file_suppression_log.ts";
export {
  ensureSuppressionTopic,
  KafkaSuppressionLog,
  SUPPRESSION_TOPIC_CONFIGS,
} from "./kafka_suppression_log.ts";
export { SuppressionList, type SuppressionListOptions } from "./suppression_list.ts";
export { openSuppressionList, type SuppressionSource } from "./open_suppression_list.ts";
