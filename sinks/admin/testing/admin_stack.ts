/**
 * The distributed platform in one test process, for the admin tests: the ingest on Kafka, the
 * hot sink on PostgreSQL (a schema of its own) serving AdminService, and the lake sink on S3 (a
 * prefix of its own), each with its own topic and consumer groups.
 */
import postgres from "postgres";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AdminService, type Event, IngestService } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../../../ingest/auth/key_hash.ts";
import { loadIngestConfig } from "../../../ingest/config.ts";
import { type RunningIngest, startIngest } from "../../../ingest/main.ts";
import { createLogger } from "../../../ingest/observability/logger.ts";
import { deleteTopics } from "../../../ingest/stream/kafka/mod.ts";
import { suppressionTopicOf } from "../../../ingest/suppression/mod.ts";
import { loadLakeSinkConfig } from "../../delta/config.ts";
import { type RunningLakeSink, startLakeSink } from "../../delta/main.ts";
import { faultServices } from "../../faults/fault_services.ts";
import { loadHotSinkConfig } from "../../timescale/config.ts";
import { type RunningHotSink, startHotSink } from "../../timescale/main.ts";
import { newAdminKey } from "../auth/admin_keys.ts";

/** A running stack and what a test needs to drive and check it. */
export interface AdminStack {
  topic: string;
  brokers: string[];
  /** The hot store's URL (its own schema on the search path). */
  databaseUrl: string;
  /** The lake table's URI for delta-rs, and the environment delta-rs needs. */
  lakeUri: string;
  lakeEnv: Record<string, string>;
  writeKey: string;
  adminKey: string;
  ingest: IngestClient;
  admin: AdminClient;
  /** The hot sink's base URL (AdminService, QueryService). */
  hotUrl: string;
  /** The environment the programs were configured from (for replay tools in tests). */
  env: Record<string, string>;
  hot: RunningHotSink;
  lake: RunningLakeSink;
  ingestProgram: RunningIngest;
  /** Sends events with the write key; returns the answer. */
  track(events: Event[]): ReturnType<IngestClient["track"]>;
  /** Stops everything and removes the topics, schema and lake prefix. */
  dispose(): Promise<void>;
}

type IngestClient = ReturnType<typeof createClient<typeof IngestService>>;
type AdminClient = ReturnType<typeof createClient<typeof AdminService>>;

/** Starts the three programs against the shared services, each with names of its own. */
export async function startAdminStack(options: { lake?: boolean } = {}): Promise<AdminStack> {
  const services = faultServices();
  const suffix = `${Date.now()}.${crypto.randomUUID().slice(0, 8)}`;
  const topic = `test.admin.${suffix}`;
  const schema = `admin_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const base = postgres(services.databaseUrl, { max: 1, onnotice: () => {} });
  await base.unsafe(`CREATE SCHEMA ${schema}`);
  await base.end({ timeout: 2 });
  const databaseUrl = `${services.databaseUrl}${
    services.databaseUrl.includes("?") ? "&" : "?"
  }search_path=${schema}`;
  const prefix = `test-admin/${suffix}`;
  const writeKey = newWriteKey();
  const adminKey = newAdminKey();
  const env: Record<string, string> = {
    KAFKA_BROKERS: services.brokers.join(","),
    KAFKA_EVENTS_TOPIC: topic,
    KAFKA_TOPIC_PARTITIONS: "3",
    KAFKA_SESSION_TIMEOUT_MS: "6000",
    DATABASE_URL: databaseUrl,
    S3_ENDPOINT: services.s3.endpoint,
    S3_BUCKET: services.s3.bucket,
    S3_REGION: services.s3.region,
    S3_PREFIX: prefix,
    AWS_ACCESS_KEY_ID: services.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: services.s3.secretAccessKey,
    SINK_HTTP_PORT: "0",
    SINK_BATCH_MAX_WAIT_MS: "200",
    ADMIN_KEY_HASHES: hashWriteKey(adminKey),
    ADMIN_SUPPRESSION_SETTLE_MS: "1000",
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_WRITE_KEYS: `site:${hashWriteKey(writeKey)}`,
  };
  const logger = createLogger({ level: "warn" });
  const get = (name: string) => env[name];
  const started: { stop(): Promise<void> }[] = [];
  const cleanup = async () => {
    for (const program of started.reverse()) await program.stop().catch(() => {});
    await deleteTopics({ brokers: services.brokers }, [
      topic,
      `${topic}.dlq`,
      suppressionTopicOf(topic),
    ]).catch(() => {});
    const sql = postgres(services.databaseUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await sql.end({ timeout: 2 });
  };
  try {
    const ingestProgram = await startIngest(loadIngestConfig(env), logger);
    started.push(ingestProgram);
    const hot = await startHotSink(
      loadHotSinkConfig(get),
      logger.child({ service: "sink-timescale" }),
    );
    started.push(hot);
    const lake = options.lake === false ? undefined : await startLakeSink(
      loadLakeSinkConfig((name) => name === "SINK_BATCH_MAX_WAIT_MS" ? "500" : env[name]),
      logger.child({ service: "sink-delta" }),
    );
    if (lake) started.push(lake);
    const ingestUrl = `http://127.0.0.1:${ingestProgram.server.httpPort}`;
    const hotUrl = hot.httpUrl!;
    const ingest = createClient(
      IngestService,
      createConnectTransport({ baseUrl: ingestUrl, httpVersion: "1.1" }),
    );
    const admin = createClient(
      AdminService,
      createConnectTransport({ baseUrl: hotUrl, httpVersion: "1.1" }),
    );
    return {
      topic,
      brokers: services.brokers,
      databaseUrl,
      lakeUri: `s3://${services.s3.bucket}/${prefix}/analytics_events`,
      lakeEnv: services.s3.env,
      writeKey,
      adminKey,
      ingest,
      admin,
      hotUrl,
      env,
      hot,
      lake: lake!,
      ingestProgram,
      track: (events) =>
        ingest.track({ events }, { headers: { authorization: `Bearer ${writeKey}` } }),
      dispose: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Polls `check` every 200 ms until it returns true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
