/**
 * A real ingest for the clients' integration tests: `startIngest` in this process on the
 * embedded log in a temporary folder, on free ports, with a fresh write key; it can be stopped
 * and started again on the same ports and log, and the events it stored read back.
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import { type Event, EventSchema } from "@analytics/schema";
import { createLogger, loadIngestConfig, type RunningIngest, startIngest } from "@analytics/ingest";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/mod.ts";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";

/** A running test ingest. */
export interface LocalIngest {
  writeKey: string;
  grpcUrl: string;
  httpUrl: string;
  /** Stops the listeners (calls in flight finish) and closes the log. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and log folder. */
  restart(): Promise<void>;
  /** Every event in the log, in partition order (stop it first). */
  storedEvents(): Promise<Event[]>;
  /** Stops it (when running) and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * Starts an ingest whose key may send `channels` (e.g. "server+agent"), at most
 * `rateLimit` events per second when given.
 */
export async function startLocalIngest(
  channels: string,
  rateLimit?: { eventsPerSecond: number; burst: number },
): Promise<LocalIngest> {
  const dir = await Deno.makeTempDir({ prefix: "client-ingest-" });
  const writeKey = newWriteKey();
  const key = {
    source: "clients-test",
    sha256: hashWriteKey(writeKey),
    channels: channels.split("+"),
    rate_limit: rateLimit &&
      { events_per_second: rateLimit.eventsPerSecond, burst: rateLimit.burst },
  };
  const env = {
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_LOG_DIR: `${dir}/log`,
    INGEST_WRITE_KEYS: JSON.stringify([key]),
  };
  const logger = createLogger({ level: "error" });
  let running: RunningIngest | undefined = await startIngest(loadIngestConfig(env), logger);
  const ports = {
    INGEST_HTTP_PORT: String(running.server.httpPort),
    INGEST_GRPC_PORT: String(running.server.grpcPort),
  };
  return {
    writeKey,
    grpcUrl: `http://127.0.0.1:${ports.INGEST_GRPC_PORT}`,
    httpUrl: `http://127.0.0.1:${ports.INGEST_HTTP_PORT}`,
    async stop() {
      const stopping = running;
      running = undefined;
      await stopping?.stop();
    },
    async restart() {
      running = await startIngest(loadIngestConfig({ ...env, ...ports }), logger);
    },
    async storedEvents() {
      const log = await openLocalLog({ dir: `${dir}/log` });
      try {
        const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "clients-test" });
        const events: Event[] = [];
        for (;;) {
          const records = await consumer.poll({ maxRecords: 1000, maxWaitMs: 200 });
          if (records.length === 0) return events;
          events.push(...records.map((r) => fromBinary(EventSchema, r.value)));
        }
      } finally {
        await log.close();
      }
    },
    async dispose() {
      await running?.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
