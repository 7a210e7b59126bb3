/**
 * The admin command on the embedded log: `deno task admin delete-user` (a process) against a hot
 * sink reading a local log folder; the suppression file it writes is honoured by an ingest
 * started on that folder afterwards.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  Channel,
  type Event,
  EventSchema,
  IngestService,
  Outcome,
  uuidv7,
} from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../../ingest/auth/key_hash.ts";
import { loadIngestConfig } from "../../ingest/config.ts";
import { startIngest } from "../../ingest/main.ts";
import { createLogger } from "../../ingest/observability/logger.ts";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { EVENTS_TOPIC } from "../../ingest/stream/topics.ts";
import { REPO_ROOT } from "../faults/supervisor.ts";
import { loadHotSinkConfig } from "../timescale/config.ts";
import { startHotSink } from "../timescale/main.ts";
import { DATABASE_URL, IGNORE_POSTGRES } from "../timescale/testing/test_targets.ts";
import { toRecord } from "../testing/sample_events.ts";
import { newAdminKey } from "./auth/admin_keys.ts";
import { waitFor } from "./testing/admin_stack.ts";

function event(userId: string, anonymousId: string, type = "page_view"): Event {
  return create(EventSchema, {
    eventId: uuidv7(),
    channel: Channel.WEB,
    eventType: type,
    sessionId: "s-1",
    userId,
    anonymousId,
    timestamp: timestampFromMs(Date.now()),
  });
}

async function admin(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "sinks/admin/cli.ts", ...args],
    cwd: REPO_ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test({
  name: "embedded log: the admin command deletes a user; an ingest on that folder then refuses it",
  ignore: IGNORE_POSTGRES,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "admin-embedded-" });
    const schema = `admin_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const base = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    await base.unsafe(`CREATE SCHEMA ${schema}`);
    const url = `${DATABASE_URL}${DATABASE_URL.includes("?") ? "&" : "?"}search_path=${schema}`;
    const adminKey = newAdminKey();
    const logger = createLogger({ level: "warn" });
    const env: Record<string, string> = {
      DATABASE_URL: url,
      INGEST_LOG_DIR: `${dir}/log`,
      DELTA_TABLE_DIR: `${dir}/lake`,
      SINK_HTTP_PORT: "0",
      SINK_BATCH_MAX_WAIT_MS: "100",
      ADMIN_KEY_HASHES: hashWriteKey(adminKey),
      ADMIN_SUPPRESSION_SETTLE_MS: "600",
    };
    const hot = await startHotSink(loadHotSinkConfig((n) => env[n]), logger);
    try {
      // The user's events, and an identify linking its anonymous id, on the local log.
      const log = await openLocalLog({ dir: `${dir}/log` });
      const events = [
        event("", "anon-7"),
        event("u-7", "anon-7", "identify"),
        event("u-7", "anon-7"),
        event("u-8", "anon-8"),
      ];
      const publisher = await log.publisher();
      await publisher.publish(
        EVENTS_TOPIC,
        events.map(toRecord),
      );
      await log.close();
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await waitFor("the events in PostgreSQL", async () => {
          const [{ n }] = await sql<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM analytics_events`;
          return n === 4;
        });
        const cli = { ADMIN_URL: hot.httpUrl!, NO_COLOR: "1" };
        const denied = await admin(["delete-user", "u-7"], { ...cli, ADMIN_KEY: newAdminKey() });
        assert.equal(denied.code, 1);
        assert.match(denied.stderr, /PermissionDenied.*not an admin key/);
        const deleted = await admin(["delete-user", "u-7"], { ...cli, ADMIN_KEY: adminKey });
        assert.equal(deleted.code, 0, deleted.stderr);
        const report = JSON.parse(deleted.stdout).report;
        assert.deepEqual(report.anonymousIds, ["anon-7"]);
        assert.equal(report.hotEventsDeleted, "3");
        assert.equal(report.lakeEventsDeleted, "0");
        const left = await sql<{ user_id: string }[]>`SELECT user_id FROM analytics_events`;
        assert.deepEqual(left.map((r) => r.user_id), ["u-8"]);
        const listed = await admin(["list-suppressed"], { ...cli, ADMIN_KEY: adminKey });
        assert.equal(JSON.parse(listed.stdout).total, 2);
      } finally {
        await sql.end({ timeout: 2 });
      }
    } finally {
      await hot.stop();
    }
    // An ingest started later on the same folder reads the suppression file.
    const writeKey = newWriteKey();
    const ingest = await startIngest(
      loadIngestConfig({
        INGEST_HTTP_PORT: "0",
        INGEST_GRPC_PORT: "0",
        INGEST_LOG_DIR: `${dir}/log`,
        INGEST_WRITE_KEYS: `site:${hashWriteKey(writeKey)}`,
      }),
      logger,
    );
    try {
      const client = createClient(
        IngestService,
        createConnectTransport({
          baseUrl: `http://127.0.0.1:${ingest.server.httpPort}`,
          httpVersion: "1.1",
        }),
      );
      const answer = await client.track({
        events: [event("", "anon-7"), event("u-8", "anon-8")],
      }, { headers: { authorization: `Bearer ${writeKey}` } });
      assert.deepEqual(answer.results.map((r) => r.outcome), [Outcome.REJECTED, Outcome.ACCEPTED]);
    } finally {
      await ingest.stop();
      await base.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await base.end({ timeout: 2 });
      await Deno.remove(dir, { recursive: true });
    }
  },
});
