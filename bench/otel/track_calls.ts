/**
 * Child of otel_overhead_bench.ts: N Track calls (10 events each) through the ingest's Connect
 * router with the trace interceptor, in memory (no network, a memory publisher), so what is
 * measured is the hot path plus what tracing adds. Prints `{"ms": ..., "calls": ...}`.
 * With OTEL_BENCH_SDK_SETUP set, that module (which starts @opentelemetry/sdk-node) is loaded
 * first; with OTEL_DENO=true, Deno's built-in exporter is on.
 */
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { IngestService } from "@analytics/schema";
import { metrics } from "@opentelemetry/api";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/key_hash.ts";
import { WriteKeyStore } from "../../ingest/auth/write_key_store.ts";
import { loadIngestConfig } from "../../ingest/config.ts";
import { RateLimiter } from "../../ingest/limits/rate_limiter.ts";
import { createLogger, MetricsRegistry } from "../../ingest/observability/mod.ts";
import { createTraceInterceptor } from "../../ingest/server/trace_interceptor.ts";
import { createIngestMetrics } from "../../ingest/track/ingest_metrics.ts";
import { createIngestService } from "../../ingest/track/ingest_service.ts";
import { MemoryPublisher } from "../../ingest/track/testdata/memory_publisher.ts";
import { sampleEvents } from "../../sinks/testing/sample_events.ts";

const setup = Deno.env.get("OTEL_BENCH_SDK_SETUP");
if (setup) await import(setup);
const calls = Number(Deno.env.get("OTEL_BENCH_CALLS") ?? "2000");
const key = newWriteKey();
const config = loadIngestConfig({ INGEST_WRITE_KEYS: `bench:${hashWriteKey(key)}` });
const service = createIngestService({
  publisher: new MemoryPublisher(),
  keys: new WriteKeyStore(config.writeKeys),
  limiter: new RateLimiter({ defaultLimit: { eventsPerSecond: 1e9, burst: 1e9 } }),
  config,
  log: createLogger({ level: "error" }),
  metrics: createIngestMetrics(new MetricsRegistry({ meter: metrics.getMeter("bench") })),
  logSystem: "local",
});
const transport = createRouterTransport((router) => router.service(IngestService, service), {
  router: { interceptors: [createTraceInterceptor()] },
});
const client = createClient(IngestService, transport);
const headers = { authorization: `Bearer ${key}` };
const batches = Array.from({ length: 50 }, () => sampleEvents(10));
for (let i = 0; i < 200; i++) await client.track({ events: batches[i % 50] }, { headers });
const started = performance.now();
for (let i = 0; i < calls; i++) await client.track({ events: batches[i % 50] }, { headers });
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, calls }));
const shutdown = (globalThis as { __otelSdkShutdown?: () => Promise<void> }).__otelSdkShutdown;
await shutdown?.();
