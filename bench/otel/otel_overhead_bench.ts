/**
 * Tracing overhead on the ingest's hot path: `track_calls.ts` run as a child process with
 * tracing off, with Deno's built-in OpenTelemetry (OTEL_DENO=true), and with
 * @opentelemetry/sdk-node (when OTEL_SDK_NODE_DIR holds an `npm install` of it and its OTLP
 * proto exporters, plus the `setup.mjs` written below), alternating, `--rounds` times each. Both
 * export to a local OTLP/HTTP receiver here that answers 200 and counts what it got, so export
 * cost is included. Prints the median time per call and the ratio to "off".
 *
 * Run: deno run -A bench/otel/otel_overhead_bench.ts [--calls 2000] [--rounds 3]
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values } = parseArgs({
  options: { calls: { type: "string", default: "2000" }, rounds: { type: "string", default: "3" } },
});
const sdkDir = Deno.env.get("OTEL_SDK_NODE_DIR") ?? "/tmp/sdknode";
const received = { traces: 0, metrics: 0, logs: 0, bytes: 0 };
const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  const body = new Uint8Array(await req.arrayBuffer());
  received.bytes += body.byteLength;
  const path = new URL(req.url).pathname;
  if (path.endsWith("/traces")) received.traces++;
  else if (path.endsWith("/metrics")) received.metrics++;
  else received.logs++;
  return new Response(null, { status: 200, headers: { "content-type": "application/x-protobuf" } });
});
const endpoint = `http://127.0.0.1:${receiver.addr.port}`;
const child = fileURLToPath(new URL("./track_calls.ts", import.meta.url));

const setupPath = `${sdkDir}/setup.mjs`;
let haveSdk = false;
try {
  await Deno.stat(`${sdkDir}/node_modules/@opentelemetry/sdk-node`);
  await Deno.writeTextFile(setupPath, SDK_SETUP());
  haveSdk = true;
} catch {
  console.error(`no @opentelemetry/sdk-node in ${sdkDir}: measuring off and deno only`);
}

const modes: Record<string, Record<string, string>> = {
  off: {},
  deno: { OTEL_DENO: "true", OTEL_SERVICE_NAME: "otel-bench-deno" },
  ...(haveSdk ? { "sdk-node": { OTEL_BENCH_SDK_SETUP: setupPath } } : {}),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
const exported: Record<string, typeof received> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [mode, env] of Object.entries(modes)) {
    const before = { ...received };
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", child],
      env: {
        NO_COLOR: "1",
        OTEL_BENCH_CALLS: values.calls,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_METRIC_EXPORT_INTERVAL: "1000",
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    const { ms, calls } = JSON.parse(
      new TextDecoder().decode(out.stdout).trim().split("\n").pop()!,
    );
    times[mode].push(ms / calls);
    exported[mode] = {
      traces: received.traces - before.traces,
      metrics: received.metrics - before.metrics,
      logs: received.logs - before.logs,
      bytes: received.bytes - before.bytes,
    };
  }
}
await receiver.shutdown();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.off);
console.log(`calls per run ${values.calls}, rounds ${values.rounds}, 10 events per call`);
for (const mode of Object.keys(modes)) {
  const m = median(times[mode]);
  const e = exported[mode];
  const ratios = times[mode].map((t, i) => (t / times.off[i]).toFixed(2)).join(" ");
  console.log(
    `${mode.padEnd(9)} ${(m * 1000).toFixed(0).padStart(6)} µs/call  ratio ${
      (m / base).toFixed(3)
    } (per round: ${ratios})  last run exported: ${e.traces} trace, ${e.metrics} metric, ` +
      `${e.logs} log requests, ${e.bytes} bytes`,
  );
}

function SDK_SETUP(): string {
  return `import { NodeSDK } from "@opentelemetry/sdk-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
const sdk = new NodeSDK({
  serviceName: "otel-bench-sdk-node",
  traceExporter: new OTLPTraceExporter(),
  metricReader: new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(),
    exportIntervalMillis: 1000,
  }),
  instrumentations: [],
});
sdk.start();
globalThis.__otelSdkShutdown = () => sdk.shutdown();
`;
}
