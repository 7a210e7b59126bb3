/**
 * The demo site end to end in a real browser: `ingest/dev.ts` as a process (embedded log,
 * PGlite, temporary folder, free ports), headless Chromium clicking and navigating both pages,
 * then every event the page recorded read back from the hot store through QueryService, once
 * each, on the web channel with its web context. Then the same with the network cut while
 * clicking and restored.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { EventJson } from "@analytics/schema";
import { startDevProcess } from "../../../ingest/testdata/dev_process.ts";
import { launchChromium, saveScreenshot } from "../../testdata/chromium.ts";

const repoRoot = new URL("../../../", import.meta.url).pathname;

/** The events of `sessionId` in the hot store (QueryService over Connect JSON). */
async function sessionEvents(httpUrl: string, sessionId: string): Promise<EventJson[]> {
  const response = await fetch(`${httpUrl}/analytics.v1.QueryService/GetSession`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sessionId, limit: 1000 }),
  });
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return (JSON.parse(body) as { events?: EventJson[] }).events ?? [];
}

/** Polls the hot store until it holds every id in `ids` (or 60 s pass); returns its events. */
async function waitForEvents(httpUrl: string, sessionId: string, ids: string[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const events = await sessionEvents(httpUrl, sessionId);
    const stored = new Set(events.map((e) => e.eventId));
    if (ids.every((id) => stored.has(id)) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The events the page's on-page history lists (this tab, both pages), oldest first. */
async function pageHistory(page: Page): Promise<{ id: string; type: string }[]> {
  const entries = await page.$$eval("#history li", (items) =>
    items.map((li) => ({
      id: (li as HTMLElement).dataset.eventId!,
      type: (li as HTMLElement).dataset.eventType!,
    })));
  return entries.reverse();
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector("body[data-analytics-ready=true]");
}

/** Every stored event of `ids` exactly once; returns them by id. */
function assertOnceEach(events: EventJson[], ids: string[]): Map<string, EventJson> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.eventId!, (counts.get(event.eventId!) ?? 0) + 1);
  const missing = ids.filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], `events the page recorded but the hot store lacks`);
  const doubled = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(doubled, [], "events stored more than once");
  assert.deepEqual([...counts.keys()].sort(), [...ids].sort(), "no event the page did not record");
  return new Map(events.map((e) => [e.eventId!, e]));
}

Deno.test("demo site in Chromium: clicks, forms and navigation on both pages reach the hot store once each, also across a network cut", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "web-demo-test-" });
  const dev = await startDevProcess(dataDir, { LOG_LEVEL: "warn" });
  try {
    await using chromium = await launchChromium();
    const page = await chromium.newPage();

    // Home: three marked buttons and the newsletter form.
    await page.goto(`${dev.siteUrl}/?utm_source=e2e&utm_campaign=demo`);
    await ready(page);
    await page.click("#btn-signup");
    await page.click("#btn-learn-more");
    await page.fill("input[name=email]", "someone@example.com");
    await page.click("#btn-subscribe");
    // Page 2 (a full navigation), a single-page route change, two buttons, back, then home.
    await page.click("#to-page2");
    await page.waitForURL("**/page2.html");
    await ready(page);
    await page.click("#tab-details");
    await page.waitForURL("**/page2.html?tab=details");
    await page.click("#btn-add-to-cart");
    await page.click("#btn-contact");
    await page.goBack(); // popstate back to /page2.html: a route change, not a new page
    await page.waitForURL(/page2\.html$/);
    await page.click("#to-home");
    await page.waitForURL(/\/$/);
    await ready(page);
    await saveScreenshot(page, "web_demo_site_home");

    const sessionId = await page.evaluate(() =>
      (globalThis as unknown as { analytics: { sessionId: string } }).analytics.sessionId
    );
    const history = await pageHistory(page);
    // page_load comes when the load event has run, which may be after the first click.
    assert.equal(history.filter((e) => e.type === "page_load").length, 3);
    assert.deepEqual(history.map((e) => e.type).filter((type) => type !== "page_load"), [
      "page_view", // home, with UTM
      "button_click", // signup
      "button_click", // learn_more
      "form_submit",
      "button_click", // nav_page2 (recorded before the page goes)
      "page_unload",
      "page_view", // page 2
      "page_view", // ?tab=details (pushState)
      "button_click", // add_to_cart
      "button_click", // contact_sales
      "page_view", // back (popstate)
      "button_click", // nav_home
      "page_unload",
      "page_view", // home again
    ]);
    const ids = history.map((e) => e.id);
    const stored = assertOnceEach(await waitForEvents(dev.httpUrl, sessionId, ids), ids);

    // One session across three page loads (the session and anonymous id persist in IndexedDB).
    const anonymousIds = new Set([...stored.values()].map((e) => e.anonymousId));
    assert.equal(anonymousIds.size, 1);
    for (const event of stored.values()) {
      assert.equal(event.channel, "CHANNEL_WEB");
      assert.equal(event.platform, "web");
      assert.equal(event.sessionId, sessionId);
      assert.equal(event.client?.libraryName, "@analytics/web");
      assert.match(event.client?.userAgent ?? "", /Chrome/);
      assert.ok(event.web?.url?.startsWith(dev.siteUrl), JSON.stringify(event.web));
    }
    const [landing] = history;
    assert.equal(stored.get(landing.id)!.web!.path, "/");
    assert.equal(stored.get(landing.id)!.web!.utm?.source, "e2e");
    assert.equal(stored.get(landing.id)!.web!.utm?.campaign, "demo");
    assert.equal(stored.get(landing.id)!.web!.pageTitle, "Analytics demo · Home");
    const clicks = history.filter((e) => e.type === "button_click").map((e) => stored.get(e.id)!);
    assert.deepEqual(clicks.map((e) => e.interactionTarget), [
      "signup",
      "learn_more",
      "nav_page2",
      "add_to_cart",
      "contact_sales",
      "nav_home",
    ]);
    assert.equal(clicks[3].web?.path, "/page2.html");
    assert.match(clicks[3].web?.url ?? "", /\?tab=details$/);
    const form = history.find((e) => e.type === "form_submit")!;
    assert.equal(stored.get(form.id)!.interactionTarget, "newsletter");
    const views = history.filter((e) => e.type === "page_view").map((e) => stored.get(e.id)!);
    assert.deepEqual(views.map((e) => e.web?.path), [
      "/",
      "/page2.html",
      "/page2.html",
      "/page2.html",
      "/",
    ]);
    assert.equal(views[2].properties?.from_path, "/page2.html", "the pushState route change");
    assert.equal(views[3].properties?.from_path, "/page2.html?tab=details", "popstate");

    // The network cut while clicking (page 2: buttons and route changes), then restored.
    const before = ids.length;
    await page.click("#to-page2");
    await page.waitForURL("**/page2.html");
    await ready(page);
    await chromium.context.setOffline(true);
    await page.click("#btn-add-to-cart");
    await page.click("#tab-details");
    await page.click("#btn-contact");
    await page.click("#tab-overview");
    // Long enough for the client's 500 ms flush to try and fail: the events wait, queued.
    await page.waitForFunction(() =>
      (globalThis as unknown as { analytics: { stats: { retries: number; queued: number } } })
        .analytics.stats.retries > 0
    );
    const waiting = await page.evaluate(() =>
      (globalThis as unknown as { analytics: { stats: { queued: number } } }).analytics.stats
        .queued
    );
    assert.ok(waiting >= 4, `events wait while offline (queued ${waiting})`);
    await chromium.context.setOffline(false);
    // Back online: leave at once, so the waiting events go in the keepalive flush (and, persisted
    // as in flight, again from the next page: the stores keep one of each).
    await page.click("#to-home");
    await page.waitForURL(/\/$/);
    await ready(page);
    const all = (await pageHistory(page)).map((e) => e.id);
    assert.ok(all.length > before + 6, "offline clicks and route changes were recorded");
    assertOnceEach(await waitForEvents(dev.httpUrl, sessionId, all), all);
    assert.deepEqual(chromium.pageErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);

    // The final flush alone: with a one-minute batching delay, two clicks, then the tab leaves
    // the site for good. Only the keepalive requests made on page hide can bring them.
    await page.goto(`${dev.siteUrl}/page2.html?flush=60000`);
    await ready(page);
    await page.click("#btn-add-to-cart");
    await page.click("#tab-details");
    const leaving = (await pageHistory(page)).slice(-3).map((e) => e.id); // view, click, view
    const queued = await page.evaluate(() =>
      (globalThis as unknown as { analytics: { stats: { queued: number } } }).analytics.stats
        .queued
    );
    assert.ok(queued >= 3, `held by the one-minute delay (queued ${queued})`);
    await page.goto("about:blank");
    assertOnceEach(
      (await waitForEvents(dev.httpUrl, sessionId, [...all, ...leaving]))
        .filter((e) => leaving.includes(e.eventId!)),
      leaving,
    );

    // Two tabs at once, the network cut, both closed before it comes back: each tab kept its own
    // queue (one shared queue would be overwritten by the last writer), and the next page
    // takes both over once their tabs are gone.
    const tabs = [await chromium.newPage(), await chromium.newPage()];
    for (const tab of tabs) {
      await tab.goto(`${dev.siteUrl}/page2.html?flush=60000`);
      await ready(tab);
    }
    await chromium.context.setOffline(true);
    await tabs[0].click("#btn-add-to-cart");
    await tabs[1].click("#btn-contact");
    await tabs[0].click("#btn-contact");
    await tabs[1].click("#tab-details");
    const tabIds = [...await pageHistory(tabs[0]), ...await pageHistory(tabs[1])].map((e) => e.id);
    assert.ok(tabIds.length >= 8, `both tabs recorded (${tabIds.length})`);
    for (const tab of tabs) await tab.close();
    await chromium.context.setOffline(false);
    const next = await chromium.newPage();
    await next.goto(`${dev.siteUrl}/`);
    await ready(next);
    assertOnceEach(
      (await waitForEvents(dev.httpUrl, sessionId, [...all, ...leaving, ...tabIds]))
        .filter((e) => tabIds.includes(e.eventId!)),
      tabIds,
    );

    // `deno task example:web` against the same site: the events it prints are stored once each.
    const example = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "clients/examples/web_example.ts"],
      cwd: repoRoot,
      env: { DEMO_SITE_URL: dev.siteUrl, EXAMPLE_PACE_MS: "0", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const printed = new TextDecoder().decode(example.stdout);
    assert.equal(example.code, 0, new TextDecoder().decode(example.stderr));
    const exampleSession = printed.match(/^session (\S+)$/m)![1];
    assert.notEqual(exampleSession, sessionId, "a new browser, a new session");
    const exampleIds = [...printed.matchAll(/^event \S+ (\S+)/gm)].map((m) => m[1]);
    assert.ok(exampleIds.length >= 14, printed);
    assert.match(printed, /queued=0 rejected=0/);
    assertOnceEach(await waitForEvents(dev.httpUrl, exampleSession, exampleIds), exampleIds);
  } finally {
    const stopped = await dev.stop();
    await Deno.remove(dataDir, { recursive: true });
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});
