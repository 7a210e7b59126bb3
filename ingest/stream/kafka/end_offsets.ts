import kafkajs from "kafkajs";
import type { KafkaConnectionOptions } from "./options.ts";

/** Each partition's end offset (high watermark) of one Kafka topic, for consumer lag. */
export class KafkaEndOffsets {
  readonly #admin: kafkajs.Admin;
  #connected: Promise<void> | undefined;

  /** Asks the brokers of `options` about `topic`; connects on first use. */
  constructor(options: KafkaConnectionOptions, private readonly topic: string) {
    const kafka = new kafkajs.Kafka({
      clientId: `${options.clientId ?? "analytics"}-lag`,
      brokers: options.brokers,
      logLevel: kafkajs.logLevel.NOTHING,
    });
    this.#admin = kafka.admin();
  }

  /** Per partition in `partitions`, the offset the next record will get. */
  async endOffsets(partitions: number[]): Promise<Map<number, bigint>> {
    this.#connected ??= this.#admin.connect().catch((error) => {
      this.#connected = undefined;
      throw error;
    });
    await this.#connected;
    const wanted = new Set(partitions);
    const ends = new Map<number, bigint>();
    for (const { partition, high } of await this.#admin.fetchTopicOffsets(this.topic)) {
      if (wanted.has(partition)) ends.set(partition, BigInt(high));
    }
    return ends;
  }

  /** Disconnects. */
  async close(): Promise<void> {
    if (this.#connected) await this.#admin.disconnect();
  }
}
