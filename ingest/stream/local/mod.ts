/**
 * The embedded local log: Kafka's topics, partitions and consumer offsets in local files.
 *
 * @example
 * ```ts
 * import { openLocalLog } from "./mod.ts";
 * const log = await openLocalLog({ dir: await Deno.makeTempDir() });
 * const publisher = await log.publisher();
 * await publisher.publish("analytics.events.v1", [{ key: "u1", value: new Uint8Array([1]), headers: {} }]);
 * await log.close();
 * ```
 */
export { LocalLog, openLocalLog } from "./local_log.ts";
export { LocalPublisher } from "./local_publisher.ts";
export { LocalConsumer, type LocalConsumerOptions } from "./local_consumer.ts";
export type { LocalLogLogger, LocalLogOptions } from "./options.ts";
export type { RetentionPolicy } from "./retention.ts";
export { LocalEndOffsets } from "./end_offsets.ts";
