/** The event topic (DESIGN.md §0). */
export const EVENTS_TOPIC = "analytics.events.v1";

/** The dead-letter topic for records that can never be stored. */
export const DEAD_LETTER_TOPIC = "analytics.events.v1.dlq";

/** Default partition count of the event topic, in Kafka and in the embedded log. */
export const DEFAULT_PARTITIONS = 6;

/** Record header naming the schema of the value. */
export const SCHEMA_HEADER = "schema";

/** Schema header value of records carrying an encoded `analytics.v1.Event`. */
export const EVENT_SCHEMA = "analytics.v1.Event";

/** The dead-letter topic of an event topic: `<topic>.dlq`. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Checks an event topic name (KAFKA_EVENTS_TOPIC): Kafka's legal characters, short enough that
 * `<topic>.dlq` is legal too. Throws naming `variable` otherwise.
 */
export function checkTopicName(variable: string, topic: string): string {
  if (!/^[A-Za-z0-9._-]{1,245}$/.test(topic) || topic === "." || topic === "..") {
    throw new Error(
      `${variable}: "${topic}" is not a Kafka topic name (1-245 letters, digits, ".", "_" or "-")`,
    );
  }
  return topic;
}
