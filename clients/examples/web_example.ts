/**
 * A web session in a real (headless) browser on the demo site of a running `deno task dev`: a
 * visitor lands from a newsletter campaign, reads, subscribes, opens page 2, switches its tabs,
 * adds to cart and goes back home. The page's `@analytics/web` records it all by itself (page
 * views, marked clicks, the form, route changes, load and unload) and sends it to the ingest.
 * Run `deno task dev`, then `deno task example:web`.
 *
 * DEMO_SITE_URL points at another site (default http://127.0.0.1:8080); EXAMPLE_PACE_MS sets the
 * pause between steps. Prints one line per event the page recorded and `accepted=N rejected=M`.
 *
 * @module
 */
import type { Page } from "playwright-core";
import { launchChromium } from "../testdata/chromium.ts";
import { pause } from "./example_env.ts";

const siteUrl = (Deno.env.get("DEMO_SITE_URL") || "http://127.0.0.1:8080").replace(/\/+$/, "");
const paceMs = Number(Deno.env.get("EXAMPLE_PACE_MS") ?? "300");
if (!Number.isFinite(paceMs) || paceMs < 0) {
  throw new Error("EXAMPLE_PACE_MS must be a number of milliseconds >= 0");
}

interface PageAnalytics {
  sessionId: string;
  stats: { accepted: number; rejected: number; queued: number };
  flush(): Promise<unknown>;
}
const analytics = (page: Page) =>
  page.evaluate(() => {
    const a = (globalThis as unknown as { analytics: PageAnalytics }).analytics;
    return { sessionId: a.sessionId, ...a.stats };
  });
const ready = (page: Page) => page.waitForSelector("body[data-analytics-ready=true]");

await using chromium = await launchChromium();
const page = await chromium.newPage();
try {
  await page.goto(`${siteUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=winter`);
} catch (error) {
  throw new Error(`no demo site at ${siteUrl}: start \`deno task dev\` first (${error})`);
}
await ready(page);
const steps: (() => Promise<unknown>)[] = [
  () => page.click("#btn-learn-more"),
  () => page.click("#btn-pricing"),
  () => page.fill("input[name=email]", "reader@example.com"),
  () => page.click("#btn-subscribe"),
  () =>
    page.click("#to-page2").then(() => page.waitForURL("**/page2.html")).then(() => ready(page)),
  () => page.click("#tab-details"),
  () => page.click("#btn-add-to-cart"),
  () => page.click("#tab-overview"),
  () => page.click("#to-home").then(() => page.waitForURL(/\/$/)).then(() => ready(page)),
];
for (const step of steps) {
  await step();
  await pause(paceMs);
}
// Everything the last page recorded is sent: wait until nothing is queued or in flight.
await page.evaluate(() =>
  (globalThis as unknown as { analytics: PageAnalytics }).analytics.flush()
);
const history = await page.$$eval("#history li", (items) =>
  items.reverse().map((li) => {
    const [id, type] = [li.getAttribute("data-event-id"), li.getAttribute("data-event-type")];
    return `${type} ${id} ${li.querySelector(".target")?.textContent ?? ""}`;
  }));
for (const line of history) console.log(`event ${line}`);
const { sessionId, queued, rejected } = await analytics(page);
// Each page sent its events before it unloaded (keepalive); the last one has nothing left.
console.log(`session ${sessionId}`);
console.log(`events=${history.length} queued=${queued} rejected=${rejected}`);
