import assert from "node:assert/strict";
import { createLiveView } from "./live_view.ts";

const get = (path: string, init?: RequestInit) => new Request(`http://127.0.0.1:8080${path}`, init);

Deno.test("live view: answers only /live paths; page, bundled script and uPlot CSS", async () => {
  const live = createLiveView({ queryUrl: "http://127.0.0.1:1", refreshMs: 1500 });
  assert.equal(await live(get("/")), undefined);
  assert.equal(await live(get("/lively")), undefined);

  const page = (await live(get("/live")))!;
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  const html = await page.text();
  assert.match(html, /data-refresh-ms="1500"/);
  assert.match(html, /<script type="module" src="\/live\/app.js">/);
  for (const id of ["total-events", "chart-channels", "chart-sessions", "recent-events"]) {
    assert.match(html, new RegExp(`id="${id}"`));
  }

  const script = (await live(get("/live/app.js")))!;
  assert.equal(script.status, 200);
  assert.match(script.headers.get("content-type")!, /^text\/javascript/);
  const code = await script.text();
  // One self-contained file: uPlot inside, nothing left to resolve, no Protobuf runtime.
  assert.doesNotMatch(code, /\bfrom\s*["'][^"']+["']/);
  assert.match(code, /uplot/);
  assert.match(code, /\/live\/api\/analytics\.v1\.QueryService/);
  assert.doesNotMatch(code, /@bufbuild|protobuf/i);

  const css = (await live(get("/live/uplot.css")))!;
  assert.equal(css.status, 200);
  assert.match(await css.text(), /\.uplot/);
  assert.equal((await live(get("/live/nothing")))!.status, 404);
});

Deno.test("live view: passes only QueryService methods on, by POST", async () => {
  const live = createLiveView({ queryUrl: "http://127.0.0.1:1" });
  const unknown = (await live(
    get("/live/api/analytics.v1.QueryService/DropTable", { method: "POST", body: "{}" }),
  ))!;
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).message, /^method: DropTable is not a QueryService method/);
  const wrongVerb = (await live(get("/live/api/analytics.v1.QueryService/RecentEvents")))!;
  assert.equal(wrongVerb.status, 405);
  await wrongVerb.body?.cancel();
  // Port 1 refuses connections: the page sees unavailable, not a hang or a crash.
  const down = (await live(
    get("/live/api/analytics.v1.QueryService/RecentEvents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
  ))!;
  assert.equal(down.status, 503);
  assert.equal((await down.json()).code, "unavailable");
});

Deno.test("live view: refuses a refresh interval below 250 ms", () => {
  assert.throws(() => createLiveView({ queryUrl: "http://x", refreshMs: 10 }), /refreshMs/);
});
