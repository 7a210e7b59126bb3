/**
 * The embedded mode as a user runs it: `ingest/dev.ts` as one process (embedded log, PGlite,
 * a local Delta folder) → N events over Connect with the dev key → QueryService on the ingest's
 * port reports exactly them, and delta-rs reads exactly those ids from the lake folder.
 */
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Channel, CountEventsRequestSchema, CountGroup, QueryService } from "@analytics/schema";
import { readLedger, runLoad } from "../../bench/loadgen/mod.ts";
import { startDevProcess } from "../../ingest/testdata/dev_process.ts";
import { deltaRsAvailable, readWithDeltaRs } from "../delta/testkit/delta_reader.ts";

const EVENTS = 1_000;

/** The channel context each channel's events carry (the generators fill one per channel). */
const CONTEXT_OF: Partial<Record<Channel, string>> = {
  [Channel.WEB]: "web",
  [Channel.MOBILE]: "mobile",
  [Channel.CHAT]: "chat",
  [Channel.SPEECH]: "speech",
  [Channel.AGENT]: "agent",
};

const venv = deltaRsAvailable();
if (!venv && Deno.env.get("CI") !== "true") {
  console.warn("embedded end-to-end test IGNORED: no delta-rs venv (bash deploy/up.sh python)");
}

Deno.test({
  name: "embedded: deno task dev → N events over Connect → QueryService and delta-rs see exactly N",
  ignore: !venv && Deno.env.get("CI") !== "true",
  async fn() {
    if (!venv) throw new Error("CI=true and the delta-rs venv is missing (deploy/up.sh python)");
    const dataDir = await Deno.makeTempDir({ prefix: "e2e-embedded-" });
    try {
      await using dev = await startDevProcess(dataDir);
      const load = await runLoad({
        protocol: "connect",
        url: dev.httpUrl,
        writeKey: dev.key,
        events: EVENTS,
        durationMs: 60_000,
        concurrency: 4,
        batch: 50,
        ledgerPath: `${dataDir}/ledger.txt`,
      });
      assert.equal(load.accepted, EVENTS, JSON.stringify(load.errors));
      const ledger = await readLedger(`${dataDir}/ledger.txt`);
      assert.equal(new Set(ledger).size, EVENTS);

      const query = createClient(
        QueryService,
        createConnectTransport({ baseUrl: dev.httpUrl, httpVersion: "1.1" }),
      );
      const day = 24 * 3600_000;
      const countRequest = create(CountEventsRequestSchema, {
        from: timestampFromDate(new Date(Date.now() - 2 * day)),
        to: timestampFromDate(new Date(Date.now() + 2 * day)),
        groupBy: CountGroup.UNSPECIFIED,
      });
      let count = 0n;
      for (let i = 0; i < 60 && count < BigInt(EVENTS); i++) {
        const { rows } = await query.countEvents(countRequest);
        count = rows[0]?.count ?? 0n;
        if (count < BigInt(EVENTS)) await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(count, BigInt(EVENTS));
      const byChannel = await query.countEvents({ ...countRequest, groupBy: CountGroup.CHANNEL });
      const channels = byChannel.rows.map((r) => `${r.channel}=${r.count}`).join(" ");
      assert.ok(byChannel.rows.length >= 5, `every channel: ${channels}`);
      assert.equal(byChannel.rows.reduce((sum, r) => sum + r.count, 0n), BigInt(EVENTS));

      for (const id of ledger.filter((_, i) => i % 50 === 0)) {
        const { event } = await query.getEvent({ eventId: id });
        assert.ok(event, id);
        assert.equal(event.eventId, id);
        const context = CONTEXT_OF[event.channel];
        if (context) assert.equal(event.context.case, context, `${id} on ${event.channel}`);
        assert.ok(event.sessionId || event.userId || event.deviceId, `${id} has an identity`);
      }

      // The lake sink commits every 5 s at most: wait for delta-rs to see all N.
      const lake = `${dataDir}/lake/analytics_events`;
      let view = await readWithDeltaRs(lake, { ids: true });
      for (let i = 0; i < 30 && view.row_count < EVENTS; i++) {
        await new Promise((r) => setTimeout(r, 1_000));
        view = await readWithDeltaRs(lake, { ids: true });
      }
      assert.equal(view.row_count, EVENTS);
      assert.equal(view.distinct_event_ids, EVENTS);
      assert.deepEqual(new Set(view.event_ids), new Set(ledger));

      const { code, stderr } = await dev.stop();
      assert.equal(code, 0, stderr.slice(-3000));
      assert.match(stderr, /"msg":"stopped"/);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
