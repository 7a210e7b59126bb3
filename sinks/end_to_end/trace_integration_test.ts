/**
 * One event through the whole pipeline, traced: the ingest and both sinks as processes
 * (`OTEL_DENO=true`, exporting to Jaeger over OTLP) on the embedded log; then Jaeger's query API
 * shows one trace with the ingest's RPC span, its publish span, and each sink's consume span
 * (child of the publish span and linked to it), with their store-write spans.
 * Needs Jaeger (`bash deploy/up.sh jaeger`): under CI=true its absence fails the test, elsewhere
 * the test is ignored with a warning.
 */
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IngestService, QueryService } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { freePort } from "../../ingest/testdata/free_port.ts";
import { sampleEvents } from "../testing/sample_events.ts";
import {
  jaegerAddresses,
  jaegerAvailable,
  type JaegerSpan,
  type JaegerTrace,
  serviceOf,
  tagOf,
  tracesOf,
} from "./jaeger_query.ts";
import { type PipelineProcess, startPipelineProcess } from "./pipeline_process.ts";

const { queryUrl, otlpEndpoint } = jaegerAddresses();
const available = await jaegerAvailable(queryUrl);
const inCi = Deno.env.get("CI") === "true";
if (!available && !inCi) {
  console.warn(
    `trace test IGNORED: Jaeger not reachable at ${queryUrl} ` +
      "(run bash deploy/up.sh jaeger, or set CI=true to make this a failure)",
  );
}

Deno.test({
  name: "one event makes one trace: ingest RPC → publish → both sinks' consume and store spans",
  ignore: !available && !inCi,
  async fn() {
    if (!available) throw new Error(`CI=true and Jaeger not reachable at ${queryUrl}`);
    const run = crypto.randomUUID().slice(0, 8);
    const names = {
      ingest: `analytics-ingest-${run}`,
      hot: `analytics-sink-timescale-${run}`,
      lake: `analytics-sink-delta-${run}`,
    };
    const dir = await Deno.makeTempDir({ prefix: "trace-e2e-" });
    const key = newWriteKey();
    const otel = (service: string) => ({
      OTEL_DENO: "true",
      OTEL_SERVICE_NAME: service,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    });
    const ports = { ingest: freePort(), hot: freePort(), lake: freePort() };
    const processes: PipelineProcess[] = [];
    try {
      processes.push(
        await startPipelineProcess("ingest/main.ts", {
          ...otel(names.ingest),
          INGEST_HTTP_PORT: String(ports.ingest),
          INGEST_GRPC_PORT: String(freePort()),
          INGEST_LOG_DIR: `${dir}/log`,
          INGEST_WRITE_KEYS: `site:${hashWriteKey(key)}`,
        }, `http://127.0.0.1:${ports.ingest}`),
      );
      const sinkEnv = { INGEST_LOG_DIR: `${dir}/log`, SINK_BATCH_MAX_WAIT_MS: "200" };
      const [hot, lake] = await Promise.all([
        startPipelineProcess(
          "sinks/timescale/main.ts",
          {
            ...otel(names.hot),
            ...sinkEnv,
            SINK_PGLITE_DIR: `${dir}/pglite`,
            SINK_HTTP_PORT: String(ports.hot),
          },
          `http://127.0.0.1:${ports.hot}`,
          120_000,
        ),
        startPipelineProcess("sinks/delta/main.ts", {
          ...otel(names.lake),
          ...sinkEnv,
          DELTA_TABLE_DIR: `${dir}/lake`,
          SINK_HTTP_PORT: String(ports.lake),
        }, `http://127.0.0.1:${ports.lake}`),
      ]);
      processes.push(hot, lake);

      const client = createClient(
        IngestService,
        createConnectTransport({ baseUrl: processes[0].url, httpVersion: "1.1" }),
      );
      const [event] = sampleEvents(1);
      const answer = await client.track({ events: [event] }, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(answer.accepted, 1);

      // Poll Jaeger until the trace holds all four spans (exporters batch; sinks poll).
      let found: ReturnType<typeof pick> | undefined;
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        for (const trace of await tracesOf(queryUrl, names.ingest)) {
          const picked = pick(trace, names);
          if (picked.complete) found = picked;
        }
        if (found) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(found, `no complete trace in Jaeger for ${names.ingest} within 45 s`);
      const { trace, rpc, publish, consumes, writes } = found;
      const parentOf = (span: JaegerSpan) =>
        span.references.find((r) => r.refType === "CHILD_OF")?.spanID;
      // The publish span is the RPC span's child and names its destination and batch size.
      assert.equal(parentOf(publish), rpc.spanID);
      assert.equal(tagOf(publish, "messaging.system"), "local");
      assert.equal(tagOf(publish, "messaging.destination.name"), EVENTS_TOPIC);
      assert.equal(Number(tagOf(publish, "messaging.batch.message_count")), 1);
      // Each sink's consume span follows the publish span (child and link) in the same trace.
      for (const service of [names.hot, names.lake]) {
        const consume = consumes.get(service)!;
        assert.equal(consume.traceID, trace.traceID);
        // Its parent and its link are both the publish span; Jaeger keeps one reference to a
        // span, the link (FOLLOWS_FROM), so that is what the query API shows.
        assert.ok(
          consume.references.some((r) => r.spanID === publish.spanID),
          `${service}: parent/link to the publish span: ${JSON.stringify(consume.references)}`,
        );
        assert.equal(parentOf(writes.get(service)!), consume.spanID, `${service}: store write`);
      }
      // The lake sink's write: the Delta commit, and the Parquet file written inside it.
      const lakeSpan = (operation: string) =>
        trace.spans.find((s) =>
          serviceOf(trace, s) === names.lake && s.operationName === operation
        );
      const commit = lakeSpan("delta commit");
      const file = lakeSpan("file write");
      assert.ok(commit && file, "the lake sink's delta commit and file write spans");
      assert.equal(parentOf(commit), writes.get(names.lake)!.spanID);
      assert.equal(parentOf(file), commit.spanID);

      // The stored event carries this trace's id (what the dashboards link to Tempo with).
      const query = createClient(
        QueryService,
        createConnectTransport({ baseUrl: hot.url, httpVersion: "1.1" }),
      );
      const stored = await query.getEvent({ eventId: event.eventId });
      assert.equal(stored.event?.enrichment?.traceId, trace.traceID);
    } finally {
      const codes = [];
      for (const process of processes.reverse()) codes.push(await process.stop());
      await Deno.remove(dir, { recursive: true });
      assert.deepEqual(codes, codes.map(() => 0));
    }
  },
});

/** Finds the spans of one pipeline run in `trace`. */
function pick(trace: JaegerTrace, names: { ingest: string; hot: string; lake: string }) {
  const of = (service: string, operation: string) =>
    trace.spans.find((s) => serviceOf(trace, s) === service && s.operationName === operation);
  const rpc = of(names.ingest, "analytics.v1.IngestService/Track");
  const publish = of(names.ingest, `publish ${EVENTS_TOPIC}`);
  const consumes = new Map<string, JaegerSpan>();
  const writes = new Map<string, JaegerSpan>();
  for (const [service, store] of [[names.hot, "timescale"], [names.lake, "delta"]]) {
    const consume = of(service, `process ${EVENTS_TOPIC}`);
    const write = of(service, `${store} write`);
    if (consume) consumes.set(service, consume);
    if (write) writes.set(service, write);
  }
  return {
    complete: rpc !== undefined && publish !== undefined && consumes.size === 2 &&
      writes.size === 2,
    trace,
    rpc: rpc!,
    publish: publish!,
    consumes,
    writes,
  };
}
