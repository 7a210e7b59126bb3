/**
 * `deno task dev`: the whole platform in one process for a laptop, on embedded storage under
 * `.data/` (or DEV_DATA_DIR): the hot store (PGlite in `pglite/`), the ingest on the embedded log
 * (`log/`) with a local write key (made once, kept in `dev-write-key`), the legacy
 * `POST /analytics` source "dev-legacy", CORS for the demo site's origin and QueryService on the
 * ingest's port, then the hot sink and the lake sink (a local Delta table in
 * `lake/analytics_events/`) consuming the embedded log in-process as their own consumer groups.
 * Components start in that order and stop in reverse. The environment is honoured as usual
 * (e.g. KAFKA_BROKERS puts the log on Kafka, DATABASE_URL the hot store on PostgreSQL).
 *
 * @module
 */
import { QueryService, uuidv7 } from "@analytics/schema";
import { type RouteHandler, startDemoSite } from "../clients/web/demo/site_server.ts";
import { createLiveView } from "../grafana/live/live_view.ts";
import { loadLakeSinkConfig } from "../sinks/delta/config.ts";
import { startLakeSink } from "../sinks/delta/main.ts";
import {
  type LateAdminService,
  lateAdminService,
  startDevAdmin,
} from "../sinks/admin/dev_admin.ts";
import { createQueryService } from "../sinks/query/mod.ts";
import { loadHotSinkConfig } from "../sinks/timescale/config.ts";
import { startHotSink } from "../sinks/timescale/main.ts";
import { type HotStore, openHotStore } from "../sinks/timescale/open_hot_store.ts";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { type IngestConfig, loadIngestConfig } from "./config.ts";
import { type RunningIngest, startIngest, stopOnSignal } from "./main.ts";
import { createLogger, isLogLevel, type Logger, setupTelemetry } from "./observability/mod.ts";
import { serviceRegistration } from "./server/mod.ts";

/** The demo site's port (DESIGN.md §0); DEV_SITE_PORT changes it. */
export const DEV_SITE_PORT = 8080;
/** The demo site's origins on its default port. */
export const DEV_SITE_ORIGINS = devSiteOrigins(DEV_SITE_PORT);

/** The origins a browser shows for the demo site on `port`. */
export function devSiteOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

/** DEV_SITE_PORT (default 8080; 0 picks a free port), or an error naming the variable. */
export function devSitePort(env: Record<string, string | undefined>): number {
  const raw = env.DEV_SITE_PORT?.trim();
  if (!raw) return DEV_SITE_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new Error(`DEV_SITE_PORT must be a port number 0-65535, got "${raw}"`);
  }
  return port;
}
/** The source that owns `POST /analytics` events in dev mode. */
export const DEV_LEGACY_SOURCE = "dev-legacy";
/** The source of the printed dev write key. */
export const DEV_KEY_SOURCE = "dev";

/** One part of the dev process (hot store, ingest, sinks, the demo site). */
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
    INGEST_CORS_ORIGINS: env.INGEST_CORS_ORIGINS || devSiteOrigins(devSitePort(env)).join(","),
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

/** The sinks' environment in dev mode: their data under the data dir unless configured. */
export function devSinkEnv(
  env: Record<string, string | undefined>,
  dataDir: string,
): (name: string) => string | undefined {
  const defaults: Record<string, string> = {
    INGEST_LOG_DIR: `${dataDir}/log`,
    SINK_PGLITE_DIR: `${dataDir}/pglite`,
    DELTA_TABLE_DIR: `${dataDir}/lake/analytics_events`,
  };
  return (name) => env[name]?.trim() || defaults[name];
}

/** A `curl` of QueryService.RecentEvents over Connect JSON. */
export function recentEventsCurl(httpUrl: string): string {
  return `curl -s -H 'content-type: application/json' -d '{"limit": 5}' \\\n` +
    `  ${httpUrl}/analytics.v1.QueryService/RecentEvents`;
}

/** Opens the hot store of the dev process (PGlite under the data dir by default). */
export async function startDevHotStore(
  env: Record<string, string | undefined>,
  dataDir: string,
): Promise<DevComponent & { store: HotStore }> {
  const config = loadHotSinkConfig(devSinkEnv(env, dataDir));
  const store = await openHotStore(config.target, { timescale: config.timescale });
  const where = config.target.kind === "pglite"
    ? `PGlite (${config.target.dir})`
    : "PostgreSQL (DATABASE_URL)";
  return { name: "hot store", banner: [`hot store    ${where}`], stop: () => store.close(), store };
}

/** Starts the ingest component of the dev process, serving QueryService over `hotStore`. */
export async function startDevIngest(
  env: Record<string, string | undefined>,
  dataDir: string,
  logger: Logger,
  hotStore?: HotStore,
): Promise<
  DevComponent & { ingest: RunningIngest; key: string; admin?: LateAdminService }
> {
  const key = await devWriteKey(dataDir);
  const config = devIngestConfig(env, dataDir, key);
  // AdminService is registered now and bound by startDevAdmin once the log is open.
  const admin = hotStore ? lateAdminService() : undefined;
  const services = hotStore
    ? [
      serviceRegistration(QueryService, createQueryService(hotStore.sql)),
      admin!.registration,
    ]
    : [];
  const ingest = await startIngest(config, logger.child({ service: "ingest" }), { services });
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
    ...(hotStore
      ? ["", "Query the hot store (QueryService, Connect JSON):", recentEventsCurl(http.url)]
      : []),
  ];
  return { name: "ingest", banner, stop: () => ingest.stop(), ingest, key, admin };
}

/** Starts the hot sink and the lake sink on the ingest's log, in-process. */
export async function startDevSinks(
  env: Record<string, string | undefined>,
  dataDir: string,
  logger: Logger,
  ingest: RunningIngest,
  hotStore: HotStore,
): Promise<DevComponent[]> {
  const sinkEnv = devSinkEnv(env, dataDir);
  const sharedLocalLog = ingest.log.local;
  const hot = await startHotSink(
    loadHotSinkConfig(sinkEnv),
    logger.child({ service: "sink-timescale" }),
    { hotStore, sharedLocalLog, http: false, metrics: ingest.metrics },
  );
  const components: DevComponent[] = [{
    name: "hot sink",
    banner: [
      `hot sink     group ${hot.source.groupId} on ${hot.source.kind} (${hot.source.topic})`,
    ],
    stop: () => hot.stop(),
  }];
  try {
    const lakeConfig = loadLakeSinkConfig(sinkEnv);
    const lake = await startLakeSink(lakeConfig, logger.child({ service: "sink-delta" }), {
      sharedLocalLog,
      http: false,
      metrics: ingest.metrics,
    });
    const python = new URL("../deploy/.cache/python-venv/bin/python", import.meta.url).pathname;
    components.push({
      name: "lake sink",
      banner: [
        `lake sink    group ${lake.source.groupId}; Delta table ${lake.location}`,
        "",
        "Read the lake with delta-rs (bash deploy/up.sh python makes the venv) or DuckDB:",
        `${python} -c "from deltalake import DeltaTable; ` +
        `print(DeltaTable('${lake.location}').to_pyarrow_table().num_rows, 'rows')"`,
        `duckdb -c "INSTALL delta; LOAD delta; ` +
        `SELECT channel, count(*) FROM delta_scan('${lake.location}') GROUP BY 1"`,
      ],
      stop: () => lake.stop(),
    });
  } catch (error) {
    await hot.stop();
    throw error;
  }
  return components;
}

/**
 * Starts the demo site (DEV_SITE_PORT, default 8080) on the ingest's host, its pages sending
 * with the dev key to the ingest's HTTP port; `routes` mount other dev pages (the live view) on
 * the same server.
 */
export async function startDevSite(
  env: Record<string, string | undefined>,
  ingest: RunningIngest,
  key: string,
  routes: RouteHandler[] = [],
): Promise<DevComponent & { url: string }> {
  const http = ingest.server.listeners.find((l) => l.name !== "grpc")!;
  const site = await startDemoSite({
    port: devSitePort(env),
    hostname: new URL(http.url).hostname.replace(/^\[|\]$/g, ""),
    ingestUrl: http.url,
    writeKey: key,
    routes,
  });
  return {
    name: "demo site",
    banner: [`demo site    ${site.url}/  (two pages tracked by @analytics/web)`],
    stop: () => site.stop(),
    url: site.url,
  };
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
    const hotStore = await startDevHotStore(env, dataDir);
    components.push(hotStore);
    const ingest = await startDevIngest(env, dataDir, logger, hotStore.store);
    components.push(ingest);
    components.push(...await startDevSinks(env, dataDir, logger, ingest.ingest, hotStore.store));
    if (ingest.admin && ingest.ingest.log.local) {
      const admin = await startDevAdmin({
        late: ingest.admin,
        config: loadHotSinkConfig(devSinkEnv(env, dataDir)),
        hot: hotStore.store,
        log: ingest.ingest.log.local,
        dataDir,
        logger: logger.child({ service: "admin" }),
      });
      components.push({ name: "admin", ...admin });
    }
    // Other dev pages (the live view) mount on the demo site's server through this list.
    const http = ingest.ingest.server.listeners.find((l) => l.name !== "grpc")!;
    const siteRoutes: RouteHandler[] = [createLiveView({ queryUrl: http.url })];
    const site = await startDevSite(env, ingest.ingest, ingest.key, siteRoutes);
    components.push({
      ...site,
      banner: [...site.banner, `live view    ${site.url}/live  (key panels, every 3 s)`],
    });
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
