/**
 * The dev live view in a real browser: `ingest/dev.ts` as a process (embedded log, PGlite, a
 * temporary folder, free ports), events of several channels sent to its ingest, then `/live` on
 * its site server in headless Chromium until the page shows exactly what was sent — the total,
 * the sessions, each channel's count, the recent events by id, and both charts drawn over all
 * of them. A screenshot is kept in .data/artifacts/live_view.png. Needs chromium
 * (`bash deploy/up.sh chromium`): under CI=true its absence fails the test, elsewhere the test
 * is ignored with a warning.
 */
import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { Channel, type Event, IngestService } from "@analytics/schema";
import {
  chromiumAvailable,
  chromiumPath,
  launchChromium,
  saveScreenshot,
} from "../../clients/testdata/chromium.ts";
import { sampleEvents } from "../../sinks/testing/sample_events.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
const available = chromiumAvailable();
if (!available) {
  if (Deno.env.get("CI") === "true") {
    throw new Error(`CI=true and no chromium at ${chromiumPath()} (bash deploy/up.sh chromium)`);
  }
  console.warn(`live view browser test IGNORED: no chromium at ${chromiumPath()}`);
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts `deno task dev`'s program and reads its banner up to the site's line. */
async function startDev(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "ingest/dev.ts"],
    cwd: repoRoot,
    env: {
      DEV_DATA_DIR: dataDir,
      INGEST_HTTP_PORT: "0",
      INGEST_GRPC_PORT: "0",
      DEV_SITE_PORT: String(freePort()),
      NO_COLOR: "1",
      LOG_LEVEL: "warn",
      // The embedded mode, whatever services the test run exported.
      KAFKA_BROKERS: "",
      DATABASE_URL: "",
      S3_ENDPOINT: "",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  while (!/live view\s+\S+.*\n/.test(banner)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`dev.ts ended before its banner:\n${banner}\n${await stderr}`);
    banner += value;
  }
  reader.releaseLock();
  const rest = child.stdout.cancel().catch(() => {});
  return {
    liveUrl: banner.match(/live view\s+(\S+)/)![1],
    httpUrl: banner.match(/ingest http\s+(\S+)/)![1],
    key: banner.match(/write key\s+(wk_\S+)/)![1],
    stop: async () => {
      child.kill("SIGTERM");
      const status = await child.status;
      await rest;
      return { code: status.code, stderr: await stderr };
    },
  };
}

const CHANNEL_NAMES: Partial<Record<Channel, string>> = {
  [Channel.WEB]: "web",
  [Channel.MOBILE]: "mobile",
  [Channel.CHAT]: "chat",
  [Channel.SPEECH]: "speech",
  [Channel.AGENT]: "agent",
};

Deno.test({
  name: "dev live view: /live in Chromium shows exactly the events sent, by channel, charted",
  ignore: !available,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "live-view-test-" });
    const dev = await startDev(dataDir);
    let stopped = false;
    try {
      // Realistic events of every channel, stamped now (the page shows the last hour).
      const events: Event[] = sampleEvents(45, { seed: 21 });
      const client = createClient(
        IngestService,
        createConnectTransport({ baseUrl: dev.httpUrl, httpVersion: "1.1" }),
      );
      const answer = await client.track({ events }, {
        headers: { authorization: `Bearer ${dev.key}` },
      });
      assert.equal(answer.accepted, events.length, JSON.stringify(answer.results));
      const perChannel = new Map<string, number>();
      for (const event of events) {
        const name = CHANNEL_NAMES[event.channel]!;
        perChannel.set(name, (perChannel.get(name) ?? 0) + 1);
      }
      assert.ok(perChannel.size >= 5, "every channel sent");
      const sessions = new Set(events.map((e) => e.sessionId)).size;
      const ids = new Set(events.map((e) => e.eventId));

      await using chromium = await launchChromium();
      const page = await chromium.newPage();
      await page.goto(dev.liveUrl);
      // The page refreshes every 3 s; the sinks take a moment: wait for the exact total.
      await page.locator("#total-events", { hasText: new RegExp(`^${events.length}$`) })
        .waitFor({ timeout: 60_000 });
      // One more refresh, so every panel shows the same, complete state.
      const refreshed = Number(await page.locator("body").getAttribute("data-refreshed"));
      await page.waitForFunction(`Number(document.body.dataset.refreshed) > ${refreshed}`, null, {
        timeout: 15_000,
      });

      assert.equal(await page.locator("#total-sessions").innerText(), String(sessions));
      assert.equal(await page.locator("#channel-count").innerText(), String(perChannel.size));
      assert.ok(Number(await page.locator("#active-sessions").innerText()) >= 1);
      for (const [channel, count] of perChannel) {
        const row = page.locator(`#by-channel tr[data-channel="${channel}"]`);
        assert.equal(await row.locator(".count").innerText(), String(count), channel);
      }
      const byType = await page.locator("#by-type tbody tr .count").allInnerTexts();
      assert.equal(byType.reduce((n, c) => n + Number(c), 0), events.length);

      const rows = await page.locator("#recent-events tbody tr").all();
      const shown = await Promise.all(rows.map((row) => row.getAttribute("data-event-id")));
      assert.equal(shown.length, 20);
      for (const id of shown) assert.ok(ids.has(id!), `recent event ${id} was not sent`);

      for (const chart of ["#chart-channels", "#chart-sessions"]) {
        assert.equal(await page.locator(`${chart} canvas`).count(), 1, `${chart} drawn`);
      }
      assert.equal(
        await page.locator("#chart-channels").getAttribute("data-total"),
        String(events.length),
      );
      assert.doesNotMatch(await page.locator("#status").innerText(), /cannot reach/);
      assert.deepEqual(chromium.pageErrors, []);
      await saveScreenshot(page, "live_view");

      stopped = true;
      const { code, stderr } = await dev.stop();
      assert.equal(code, 0, stderr);
    } finally {
      if (!stopped) await dev.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
