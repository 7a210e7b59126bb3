import { Admin } from "@platformatic/kafka";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KafkaConnectionOptions,
} from "./options.ts";

/**
 * A Kafka admin client for the topic set-up at start-up: each request bounded by the options'
 * request timeout and retried 3 times, 200 ms apart. The caller closes it.
 */
export function createKafkaAdmin(options: KafkaConnectionOptions): Admin {
  return new Admin({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    bootstrapBrokers: options.brokers,
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    retries: 3,
    retryDelay: 200,
  });
}
