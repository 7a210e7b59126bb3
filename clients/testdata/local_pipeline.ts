/**
 * The embedded pipeline for the clients' read-back tests: in this process, the ingest on the
 * embedded log (temporary folder, free ports, a fresh key for the given channels), the hot sink
 * consuming that log, and `QueryService` over the hot store on the ingest's HTTP port — the
 * composition `deno task dev` runs, without the lake sink. Tests send with a client and read the
 * events back as stored, through the same API a user would.
 *
 * The hot store is PostgreSQL in a fresh schema when DATABASE_URL is set (as in CI and after
 * `deploy/up.sh`; dropped afterwards), else an in-memory PGlite. Both are the hot store's real
 * code; PostgreSQL costs about 0.1 s of CPU per test where PGlite costs about 8 s (compiling its
 * WebAssembly), which on a shared 2-core machine is the difference that matters.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { CountEventsRequestSchema, type Event, QueryService } from "@analytics/schema";
import { createLogger, loadIngestConfig, type RunningIngest, startIngest } from "@analytics/ingest";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/mod.ts";
import { serviceRegistration } from "../../ingest/server/mod.ts";
import { createQueryService } from "../../sinks/query/mod.ts";
import { loadHotSinkConfig } from "../../sinks/timescale/config.ts";
import { type RunningHotSink, startHotSink } from "../../sinks/timescale/main.ts";
import { type HotStore, openHotStore } from "../../sinks/timescale/open_hot_store.ts";

/** A running embedded pipeline. */
export interface LocalPipeline {
  /** A key allowed the channels the pipeline was started for. */
  writeKey: string;
  /** The ingest's gRPC address (h2c). */
  grpcUrl: string;
  /** The ingest's HTTP address: Connect, gRPC-web, and QueryService. */
  httpUrl: string;
  /** A QueryService client (Connect over fetch) on `httpUrl`. */
  query: Client<typeof QueryService>;
  /**
   * The events with these ids as the hot store returns them, in the order of `ids`; waits until
   * every one is stored (the sink writes in batches), failing after `timeoutMs` (default 30 s)
   * with the ids still missing.
   */
  waitForEvents(ids: readonly string[], timeoutMs?: number): Promise<Event[]>;
  /** How many events the hot store holds (any time, any channel). */
  storedCount(): Promise<number>;
  /** Which hot store the events went to. */
  store: "postgres" | "pglite";
  /** Stops the sink, the ingest and the store, and removes the folder (and the schema). */
  dispose(): Promise<void>;
}

/** Options of startLocalPipeline. */
export interface LocalPipelineOptions {
  /** Default: "postgres" when DATABASE_URL is set, else "pglite". */
  store?: "postgres" | "pglite";
}

/** The hot store of a pipeline and how to remove it. */
async function openPipelineStore(
  kind: "postgres" | "pglite",
): Promise<{ hotStore: HotStore; dispose(): Promise<void> }> {
  if (kind === "postgres") {
    // Imported here: the module probes the server when loaded, which a PGlite run must not do.
    const { openTestStore } = await import("../../sinks/timescale/testing/test_targets.ts");
    const test = await openTestStore("postgres");
    return { hotStore: test.store, dispose: () => test.dispose() };
  }
  // PGlite in memory: nothing here outlives the test, and it opens about twice as fast.
  const hotStore = await openHotStore({ kind: "pglite" }, { timescale: "off" });
  return { hotStore, dispose: () => hotStore.close() };
}

/** Starts ingest + hot sink + QueryService in this process; the key may send `channels`. */
export async function startLocalPipeline(
  channels: string,
  options: LocalPipelineOptions = {},
): Promise<LocalPipeline> {
  const storeKind = options.store ?? (Deno.env.get("DATABASE_URL") ? "postgres" : "pglite");
  const dir = await Deno.makeTempDir({ prefix: "client-pipeline-" });
  const writeKey = newWriteKey();
  const key = {
    source: "clients-test",
    sha256: hashWriteKey(writeKey),
    channels: channels.split("+"),
  };
  // An explicit environment, so the services a test run exports (KAFKA_BROKERS, DATABASE_URL)
  // do not turn this embedded pipeline into a distributed one.
  const env: Record<string, string> = {
    INGEST_HTTP_PORT: "0",
    INGEST_GRPC_PORT: "0",
    INGEST_LOG_DIR: `${dir}/log`,
    INGEST_WRITE_KEYS: JSON.stringify([key]),
    SINK_BATCH_MAX_WAIT_MS: "200",
  };
  const logger = createLogger({ level: "error" });
  const sinkConfig = loadHotSinkConfig((name) => env[name]);
  const store = await openPipelineStore(storeKind);
  const hotStore = store.hotStore;
  let ingest: RunningIngest | undefined;
  let sink: RunningHotSink | undefined;
  try {
    ingest = await startIngest(loadIngestConfig(env), logger, {
      services: [serviceRegistration(QueryService, createQueryService(hotStore.sql))],
    });
    sink = await startHotSink(sinkConfig, logger, {
      hotStore,
      sharedLocalLog: ingest.log.local,
      http: false,
    });
  } catch (error) {
    await ingest?.stop();
    await store.dispose();
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  const httpUrl = `http://127.0.0.1:${ingest.server.httpPort}`;
  const query = createClient(QueryService, createConnectTransport({ baseUrl: httpUrl }));
  const running = { ingest, sink };

  return {
    writeKey,
    grpcUrl: `http://127.0.0.1:${ingest.server.grpcPort}`,
    httpUrl,
    query,
    store: storeKind,
    async waitForEvents(ids, timeoutMs = 30_000) {
      const found = new Map<string, Event>();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const id of ids) {
          if (found.has(id)) continue;
          const event = await getEventOrUndefined(query, id);
          if (event) found.set(id, event);
        }
        if (found.size === new Set(ids).size) return ids.map((id) => found.get(id)!);
        if (Date.now() > deadline) {
          const missing = ids.filter((id) => !found.has(id));
          throw new Error(`not in the hot store after ${timeoutMs} ms: ${missing.join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async storedCount() {
      const year = 365 * 24 * 3600_000;
      const { rows } = await query.countEvents(create(CountEventsRequestSchema, {
        from: timestampFromMs(Date.now() - year),
        to: timestampFromMs(Date.now() + year),
      }));
      return Number(rows[0]?.count ?? 0n);
    },
    async dispose() {
      try {
        await running.sink.stop();
        await running.ingest.stop();
        await store.dispose();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  };
}

async function getEventOrUndefined(
  query: Client<typeof QueryService>,
  eventId: string,
): Promise<Event | undefined> {
  try {
    return (await query.getEvent({ eventId })).event;
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.NotFound) return undefined;
    throw error;
  }
}
