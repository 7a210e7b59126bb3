/**
 * Fuzzes the real ingest (a child process on the embedded log) through every protocol and the
 * JSON endpoint, then checks: every answer followed the rule (answer_rule.ts), the process is
 * alive and healthy and logged no failed request, its memory after a full GC is back within a
 * bound of where it started, valid requests still succeed, and exactly the events it reported
 * stored are in the log, each one an event the sinks can store.
 *
 * Count: FUZZ_REQUESTS, else 100 000 with FAULTS_FULL=1 (`deno task test:faults`), else 5 000.
 * Seed: FUZZ_SEED (default 7). docs/fuzzing.md has the counts of a full run.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/mod.ts";
import { openLocalLog } from "../stream/local/mod.ts";
import { EVENTS_TOPIC } from "../stream/topics.ts";
import { type CaseContext, type FuzzCase, sampleCases } from "./fuzz_cases.ts";
import { formatReport, runFuzz } from "./fuzz_run.ts";
import { spawnIngestChild } from "./ingest_child.ts";
import { RPC_PROTOCOLS } from "./protocols.ts";
import { WireClient } from "./wire_client.ts";

const MiB = 1024 * 1024;
/** Bounds on the memory growth over the run, measured after two full GCs in the child. */
const HEAP_GROWTH_BOUND = 48 * MiB;
const RSS_GROWTH_BOUND = 256 * MiB;

function requestCount(): number {
  const asked = Deno.env.get("FUZZ_REQUESTS");
  if (asked) return Number(asked);
  return Deno.env.get("FAULTS_FULL") === "1" ? 100_000 : 5_000;
}

Deno.test({
  name: "fuzzing every protocol: specific codes, no crash, memory bounded, valid still stored",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ingest-fuzz-" });
    const key = newWriteKey();
    const ctx: CaseContext = {
      writeKey: key,
      maxRequestBytes: 1024 * 1024,
      maxBatchEvents: 500,
      maxStreamEvents: 1_000,
    };
    const child = await spawnIngestChild({
      INGEST_HOST: "127.0.0.1",
      INGEST_HTTP_PORT: "0",
      INGEST_GRPC_PORT: "0",
      INGEST_LOG_DIR: `${dir}/log`,
      INGEST_WRITE_KEYS: `fuzz:${hashWriteKey(key)}`,
      INGEST_LEGACY_SOURCE: "legacy",
      INGEST_MAX_REQUEST_BYTES: String(ctx.maxRequestBytes),
      INGEST_MAX_BATCH_EVENTS: String(ctx.maxBatchEvents),
      INGEST_MAX_STREAM_EVENTS: String(ctx.maxStreamEvents),
      // Fuzzing is not about the rate limit: nothing valid should be refused for it.
      INGEST_RATE_LIMIT_EVENTS_PER_SECOND: "10000000",
      LOG_LEVEL: "warn",
    });
    const client = new WireClient("127.0.0.1", { http: child.httpPort, grpc: child.grpcPort });
    const seed = Number(Deno.env.get("FUZZ_SEED") ?? "7");
    const count = requestCount();
    try {
      // Warm up (JIT, caches, connections) with valid traffic, then take the baseline.
      const warm = await runFuzz(client, validOnly(ctx, seed + 1, 100));
      assert.equal(warm.violations.size, 0, formatReport(warm));
      const before = await child.memory();

      const started = Date.now();
      const cpuBefore = { child: await child.cpuSeconds(), self: selfCpuSeconds() };
      const report = await runFuzz(client, sampleCases(ctx, seed, count), {
        progressEvery: Number(Deno.env.get("FUZZ_PROGRESS_EVERY") ?? "5000"),
        onProgress: (done, so) =>
          console.log(
            `  ${done} requests, ${
              (Date.now() - started) / 1000
            } s, violations ${so.violations.size}, ` +
              JSON.stringify(Object.fromEntries(so.byCode)) + " " +
              JSON.stringify(Object.fromEntries(so.byKind)),
          ),
      });
      console.log(formatReport(report));
      console.log(
        `cpu: ingest ${(await child.cpuSeconds() - cpuBefore.child).toFixed(1)} s, ` +
          `fuzzer ${(selfCpuSeconds() - cpuBefore.self).toFixed(1)} s`,
      );
      const after = await child.memory();
      console.log(
        `memory after GC: heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MiB, ` +
          `rss ${mb(before.rss)} → ${mb(after.rss)} MiB`,
      );

      assert.equal(child.exited(), undefined, "the ingest process died");
      const health = await fetch(`http://127.0.0.1:${child.httpPort}/health`);
      assert.equal(health.status, 200);
      assert.equal((await health.json()).status, "ok");
      assert.equal(report.requests, count);
      assert.equal(report.violations.size, 0, formatReport(report));
      assert.deepEqual(child.errorLines, [], "the ingest logged errors");
      assert.ok(
        after.heapUsed - before.heapUsed <= HEAP_GROWTH_BOUND,
        `heap grew by ${mb(after.heapUsed - before.heapUsed)} MiB`,
      );
      assert.ok(
        after.rss - before.rss <= RSS_GROWTH_BOUND,
        `rss grew by ${mb(after.rss - before.rss)} MiB`,
      );

      // Valid requests still succeed, on every protocol and the JSON endpoint.
      const last = await runFuzz(client, validOnly(ctx, seed + 2, RPC_PROTOCOLS.length * 10), {
        concurrency: 4,
      });
      assert.equal(last.violations.size, 0, formatReport(last));
      assert.ok(last.acceptedIds.length >= RPC_PROTOCOLS.length * 10);
      const legacy = await fetch(`http://127.0.0.1:${child.httpPort}/analytics`, {
        method: "POST",
        body: JSON.stringify({ event_type: "click", channel: "web", session_id: "s-after-fuzz" }),
      });
      assert.equal(legacy.status, 200);
      const legacyId = (await legacy.json()).event_id as string;

      // Close our HTTP/2 sessions and let the ingest see them go before it stops: Deno 2.9's
      // node:http2 aborts (nghttp2 find_stream_on_goaway_func, denoland/deno#36788) when a server
      // closes a session that carried a few hundred streams (docs/fuzzing.md).
      client.close();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const status = await child.stop();
      if (status.signal === "SIGABRT" || status.signal === "SIGSEGV") {
        // Known and not ours to fix: Deno 2.9's node:http2 aborts when the gRPC listener closes a
        // session that carried many streams (denoland/deno#36788, docs/fuzzing.md). Calls were
        // drained by then; the log is checked below all the same.
        console.warn(`KNOWN: the ingest aborted at shutdown (${status.signal}), deno#36788`);
      } else {
        assert.equal(
          status.code,
          0,
          `the ingest did not stop cleanly: ${JSON.stringify(status)}\n` +
            child.errorLines.slice(-20).join("\n"),
        );
      }

      // Exactly the events reported stored are in the log, and each decodes with sane times.
      const expected = [...warm.acceptedIds, ...report.acceptedIds, ...last.acceptedIds, legacyId];
      const stored = await readAllEventIds(`${dir}/log`);
      const { missing, extra } = multisetDifference(expected, stored);
      assert.deepEqual(missing, [], "events reported stored but not in the log");
      // Only a TrackStream that failed part-way may have stored batches it did not report.
      console.log(
        `log: ${stored.length} records, ${expected.length} reported stored, ${extra.length} ` +
          `from ${report.failedStreams} TrackStream calls that failed part-way`,
      );
      if (report.failedStreams === 0) assert.deepEqual(extra, [], "records nobody was told of");
    } finally {
      client.close();
      await child.stop(5_000);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function* validOnly(ctx: CaseContext, seed: number, count: number): Generator<FuzzCase> {
  let n = 0;
  for (const fuzzCase of sampleCases(ctx, seed, count * 20)) {
    if (!fuzzCase.allValid) continue;
    yield fuzzCase;
    if (++n === count) return;
  }
}

async function readAllEventIds(dir: string): Promise<string[]> {
  const log = await openLocalLog({ dir });
  try {
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "fuzz-check" });
    const ids: string[] = [];
    for (;;) {
      const records = await consumer.poll({ maxRecords: 5_000, maxWaitMs: 200 });
      if (records.length === 0) return ids;
      for (const record of records) {
        const event = fromBinary(EventSchema, record.value);
        const time = event.enrichment?.correctedTime;
        assert.ok(event.timestamp && time, `event ${event.eventId} lacks its times`);
        const times = [event.timestamp, time, event.enrichment!.receivedAt!];
        for (const t of event.sentAt ? [...times, event.sentAt] : times) {
          // What the sinks store: nanos normalised; event times after 2000, at most a day ahead.
          assert.ok(
            t.nanos >= 0 && t.nanos < 1e9,
            `${event.eventId}: ${t.seconds} s ${t.nanos} ns`,
          );
          if (t === event.sentAt) continue; // a client clock may be anywhere in years 1-9999
          assert.ok(
            t.seconds > 946684800n && t.seconds < BigInt(Math.floor(Date.now() / 1000) + 86400),
            `${event.eventId}: ${t.seconds} s (timestamp ${event.timestamp?.seconds}, ` +
              `corrected ${time.seconds}, sent_at ${event.sentAt?.seconds})`,
          );
        }
        ids.push(event.eventId);
      }
    }
  } finally {
    await log.close();
  }
}

/** What `expected` has that `actual` lacks, and the reverse, counting repeats. */
function multisetDifference(expected: string[], actual: string[]) {
  const counts = new Map<string, number>();
  for (const id of actual) counts.set(id, (counts.get(id) ?? 0) + 1);
  const missing: string[] = [];
  for (const id of expected) {
    const n = counts.get(id) ?? 0;
    if (n === 0) missing.push(id);
    else counts.set(id, n - 1);
  }
  const extra = [...counts].flatMap(([id, n]) => Array<string>(n).fill(id));
  return { missing, extra };
}

function selfCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function mb(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}
