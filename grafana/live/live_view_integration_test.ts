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
import { startDevProcess } from "../../ingest/testdata/dev_process.ts";
import { sampleEvents } from "../../sinks/testing/sample_events.ts";

const available = chromiumAvailable();
if (!available) {
  if (Deno.env.get("CI") === "true") {
    throw new Error(`CI=true and no chromium at ${chromiumPath()} (bash deploy/up.sh chromium)`);
  }
  console.warn(`live view browser test IGNORED: no chromium at ${chromiumPath()}`);
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
    try {
      await using dev = await startDevProcess(dataDir, { LOG_LEVEL: "warn" });
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

      const { code, stderr } = await dev.stop();
      assert.equal(code, 0, stderr);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
