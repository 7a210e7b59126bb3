/**
 * What the client costs over a bare Connect call: the same number of events, in batches of the
 * same size, sent over gRPC to an in-process ingest on the embedded log, once with a plain
 * `createClient(IngestService).track` loop (the baseline) and once through `@analytics/server`
 * (event creation, queue, batching, per-event outcomes). Reports events/s and the ratio.
 *
 * Run: `deno run -A clients/server/client_overhead_bench.ts [events=20000]`
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@analytics/client-core/grpc";
import { Channel, EventSchema, IngestService, uuidv7 } from "@analytics/schema";
import { startLocalIngest } from "../testdata/local_ingest.ts";
import { createServerAnalytics } from "./mod.ts";

const total = Number(Deno.args[0] ?? 20_000);
const batch = 100;
const ingest = await startLocalIngest("server");
try {
  const raw = createGrpcTransport({ baseUrl: ingest.grpcUrl, writeKey: ingest.writeKey });
  const client = createClient(IngestService, raw.transport);
  let t0 = performance.now();
  for (let sent = 0; sent < total; sent += batch) {
    const events = Array.from({ length: batch }, (_, i) =>
      create(EventSchema, {
        eventId: uuidv7(),
        channel: Channel.SERVER,
        eventType: "job_finished",
        sessionId: "s1",
        userId: `u_${i}`,
        timestamp: timestampNow(),
      }));
    const answer = await client.track({ events, sentAt: timestampNow() });
    if (answer.accepted !== batch) throw new Error(`baseline: ${answer.accepted} accepted`);
  }
  const baseline = total / ((performance.now() - t0) / 1000);
  raw.close();

  const analytics = await createServerAnalytics({
    writeKey: ingest.writeKey,
    url: ingest.grpcUrl,
    maxBatchEvents: batch,
    queueCapacity: total,
  });
  t0 = performance.now();
  for (let i = 0; i < total; i++) {
    analytics.track({ eventType: "job_finished", userId: `u_${i % batch}` });
    if (i % batch === batch - 1) await analytics.flush();
  }
  const stats = await analytics.shutdown();
  const withClient = total / ((performance.now() - t0) / 1000);
  if (stats.accepted !== total) throw new Error(`client: ${stats.accepted} accepted`);
  console.log(`events ${total}, batches of ${batch}, gRPC, embedded log`);
  console.log(`bare Connect client     ${baseline.toFixed(0)} events/s (baseline)`);
  console.log(`@analytics/server       ${withClient.toFixed(0)} events/s`);
  console.log(`ratio client/baseline   ${(withClient / baseline).toFixed(2)}`);
} finally {
  await ingest.dispose();
}
