/**
 * `deno task dev`: the whole platform in one process for a laptop, on embedded storage under
 * `.data/` (or DEV_DATA_DIR). Today: the ingest on the embedded log, with a local write key
 * (made once, kept in `.data/dev-write-key`), the legacy `POST /analytics` source "dev-legacy"
 * and CORS for the demo site's origin. Later issues add the sinks and the demo site as further
 * `DevComponent`s in `main` below, started in order and stopped in reverse.
 *
 * @module
 */
import { uuidv7 } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { type IngestConfig, loadIngestConfig } from "./config.ts";
import { type RunningIngest, startIngest, stopOnSignal } from "./main.ts";
import { createLogger, isLogLevel, type Logger, setupTelemetry } from "./observability/mod.ts";

/** The demo site's origin (port 8080, DESIGN.md §0). */
export const DEV_SITE_ORIGINS = ["http://localhost:8080", "http://127.0.0.1:8080"];
/** The source that owns `POST /analytics` events in dev mode. */
export const DEV_LEGACY_SOURCE = "dev-legacy";
/** The source of the printed dev write key. */
export const DEV_KEY_SOURCE = "dev";

/** One part of the dev process (ingest now; sinks and the demo site later). */
export interface DevComponent {
  name: string;
  /** Lines for the start-up banner. */
  banner: string[];
  stop(): Promise<void>;
}

/** Reads the dev write key from `<dataDir>/dev-write-key`, creating it on first use. */
export async function devWriteKey(dataDir: string): Promise<string> {
  const file = `${dataDir}/dev-write-key`;
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const key = newWriteKey();
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(file, key + "\n", { mode: 0o600, createNew: true });
  return key;
}

/**
 * The ingest's configuration in dev mode: the environment as usual, with dev defaults where a
 * variable is unset (embedded log under the data dir, legacy source, demo-site CORS) and the dev
 * key added to the configured keys.
 */
export function devIngestConfig(
  env: Record<string, string | undefined>,
  dataDir: string,
  key: string,
): IngestConfig {
  const config = loadIngestConfig({
    ...env,
    INGEST_LOG_DIR: env.INGEST_LOG_DIR || `${dataDir}/log`,
    INGEST_LEGACY_SOURCE: env.INGEST_LEGACY_SOURCE ?? DEV_LEGACY_SOURCE,
    INGEST_CORS_ORIGINS: env.INGEST_CORS_ORIGINS || DEV_SITE_ORIGINS.join(","),
  });
  // Added after parsing, so the configured keys may be in either the compact or the JSON form.
  const keyHash = hashWriteKey(key);
  if (config.writeKeys.some((k) => k.keyHash === keyHash)) return config;
  const devKey = { source: DEV_KEY_SOURCE, keyHash, channels: "all" as const };
  return { ...config, writeKeys: [...config.writeKeys, devKey] };
}

/** A `buf curl` command that sends one event to the gRPC port by reflection. */
export function bufCurlCommand(grpcPort: number, key: string, host = "127.0.0.1"): string {
  const body = {
    events: [{
      eventId: uuidv7(),
      channel: "CHANNEL_WEB",
      eventType: "page_view",
      eventCategory: "navigation",
      sessionId: "dev-session-1",
      timestamp: new Date().toISOString(),
      web: { url: "http://localhost:8080/?utm_source=buf-curl", path: "/" },
    }],
  };
  return [
    "npx buf curl --protocol grpc --http2-prior-knowledge \\",
    `  -H 'authorization: Bearer ${key}' \\`,
    `  -d '${JSON.stringify(body)}' \\`,
    `  http://${host}:${grpcPort}/analytics.v1.IngestService/Track`,
  ].join("\n");
}

/** Starts the ingest component of the dev process. */
export async function startDevIngest(
  env: Record<string, string | undefined>,
  dataDir: string,
  logger: Logger,
): Promise<DevComponent & { ingest: RunningIngest; key: string }> {
  const key = await devWriteKey(dataDir);
  const config = devIngestConfig(env, dataDir, key);
  const ingest = await startIngest(config, logger.child({ service: "ingest" }));
  const { server, log } = ingest;
  const http = server.listeners.find((l) => l.name !== "grpc")!;
  const banner = [
    ...server.listeners.map((l) => `ingest ${l.name.padEnd(5)} ${l.url}  ${l.serves}`),
    `event log    ${log.kind} (${log.where})`,
    `write key    ${key}   (source "${DEV_KEY_SOURCE}", kept in ${dataDir}/dev-write-key)`,
    `legacy       POST ${http.url}/analytics needs no key (source "${config.legacySource}")`,
    `CORS         ${config.corsOrigins.join(", ")}`,
    "",
    "Send an event by reflection:",
    bufCurlCommand(server.grpcPort, key, config.host),
  ];
  return { name: "ingest", banner, stop: () => ingest.stop(), ingest, key };
}

async function main(): Promise<void> {
  const env = Deno.env.toObject();
  const dataDir = env.DEV_DATA_DIR || new URL("../.data", import.meta.url).pathname;
  const level = env.LOG_LEVEL && isLogLevel(env.LOG_LEVEL) ? env.LOG_LEVEL : "info";
  const logger = createLogger({
    level,
    fields: { mode: "dev" },
  });
  setupTelemetry({ serviceName: "analytics-dev", env, logger });

  const components: DevComponent[] = [];
  const stopAll = async () => {
    for (const component of components.reverse()) await component.stop();
  };
  try {
    components.push(await startDevIngest(env, dataDir, logger));
    // Later issues: components.push(await startDevSinks(...), await startDemoSite(...));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const stopped = stopOnSignal(stopAll, logger);
  console.log(["", ...components.flatMap((c) => c.banner), ""].join("\n"));
  await stopped;
  logger.info("stopped");
}

if (import.meta.main) await main();
