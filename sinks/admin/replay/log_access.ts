/**
 * What replay and rebuild need from the event log, for Kafka and the embedded log alike: a
 * consumer of any topic in a group of their own, a publisher, end offsets, and the offset of the
 * first record at or after a time.
 */
import kafkajs from "kafkajs";
import type { Consumer } from "../../../ingest/stream/consumer.ts";
import {
  createKafkaConsumer,
  createKafkaPublisher,
  KafkaEndOffsets,
} from "../../../ingest/stream/kafka/mod.ts";
import { LocalEndOffsets, type LocalLog } from "../../../ingest/stream/local/mod.ts";
import { partitionDir } from "../../../ingest/stream/local/layout.ts";
import { PartitionReader } from "../../../ingest/stream/local/partition_reader.ts";
import type { Publisher } from "../../../ingest/stream/publisher.ts";

/** Access to the event log for replay and rebuild. */
export interface LogAccess {
  /** A consumer of `topic` in consumer group `group` (Kafka: starting at the earliest offset). */
  consumer(topic: string, group: string): Promise<Consumer>;
  /** The publisher to the log (shared; closed by `close`). */
  publisher(): Promise<Publisher>;
  /** Per partition of `topic` (0 … partitions-1), the offset the next record will get. */
  endOffsets(topic: string, partitions: number): Promise<Map<number, bigint>>;
  /** Per partition, the offset of the first record appended at or after `time` (else the end). */
  offsetsAt(topic: string, partitions: number, time: Date): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

/** Log access over Kafka. */
export function kafkaLogAccess(brokers: string[], clientId: string): LogAccess {
  let publisher: Publisher | undefined;
  const admin = () =>
    new kafkajs.Kafka({ clientId, brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  return {
    consumer: (topic, group) =>
      createKafkaConsumer({ brokers, clientId, groupId: group, topic, sessionTimeoutMs: 6_000 }),
    publisher: () => Promise.resolve(publisher ??= createKafkaPublisher({ brokers, clientId })),
    async endOffsets(topic, partitions) {
      const probe = new KafkaEndOffsets({ brokers, clientId }, topic);
      try {
        return await probe.endOffsets([...Array(partitions).keys()]);
      } finally {
        await probe.close();
      }
    },
    async offsetsAt(topic, _partitions, time) {
      const client = admin();
      await client.connect();
      try {
        // ListOffsets by timestamp: the earliest offset whose timestamp is >= time, else the end.
        const found = await client.fetchTopicOffsetsByTimestamp(topic, time.getTime());
        return new Map(found.map((f) => [f.partition, BigInt(f.offset)]));
      } finally {
        await client.disconnect();
      }
    },
    async close() {
      await publisher?.close();
    },
  };
}

/** Log access over the embedded log `log` (opened by this process, which holds its writer lock). */
export function localLogAccess(log: LocalLog): LogAccess {
  const dir = log.options.dir;
  return {
    consumer: (topic, group) => log.consumer({ topic, group }),
    publisher: () => log.publisher(),
    async endOffsets(topic, partitions) {
      const probe = new LocalEndOffsets(dir, topic);
      try {
        return await probe.endOffsets([...Array(partitions).keys()]);
      } finally {
        probe.close();
      }
    },
    async offsetsAt(topic, partitions, time) {
      const offsets = new Map<number, bigint>();
      for (let partition = 0; partition < partitions; partition++) {
        const reader = new PartitionReader(partitionDir(dir, topic, partition));
        try {
          let next = 0n;
          let found: bigint | undefined;
          while (found === undefined) {
            const records = await reader.read(next, 1_000);
            if (records.length === 0) break;
            found = records.find((r) => r.timestamp >= time.getTime())?.offset;
            next = records[records.length - 1].offset + 1n;
          }
          offsets.set(partition, found ?? next);
        } finally {
          reader.close();
        }
      }
      return offsets;
    },
    close: () => Promise.resolve(),
  };
}
