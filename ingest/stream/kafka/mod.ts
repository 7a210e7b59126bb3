/**
 * Kafka implementations of the shared log interfaces: an idempotent acks=all publisher
 * (@platformatic/kafka), a consumer-group consumer (kafkajs) and topic creation.
 * @module
 */
import { KafkaConsumer, type KafkaConsumerOptions } from "./consumer.ts";
import { KafkaPublisher, type KafkaPublisherOptions } from "./publisher.ts";

export { KafkaConsumer, type KafkaConsumerOptions } from "./consumer.ts";
export { KafkaPublisher, type KafkaPublisherOptions } from "./publisher.ts";
export { KafkaEndOffsets } from "./end_offsets.ts";
export {
  DEFAULT_DEAD_LETTER_RETENTION_MS,
  DEFAULT_RETENTION_MS,
  deleteTopics,
  ensureTopics,
  type EnsureTopicsOptions,
} from "./topics_admin.ts";
export type { KafkaCompression, KafkaConnectionOptions } from "./options.ts";

/** Makes a Kafka publisher (it connects on first use). */
export function createKafkaPublisher(options: KafkaPublisherOptions): KafkaPublisher {
  return new KafkaPublisher(options);
}

/** Makes a Kafka consumer that has joined its group and started fetching. */
export function createKafkaConsumer(options: KafkaConsumerOptions): Promise<KafkaConsumer> {
  return KafkaConsumer.connect(options);
}
