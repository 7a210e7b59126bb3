/**
 * The browser harness against the real Debian chromium: a page served on a free port renders
 * and runs its script, console errors are collected, a screenshot lands under .data/artifacts/,
 * the flags reach the browser, and closing removes the temporary profile. Needs `bash deploy/up.sh chromium`; under CI=true
 * a missing browser is a failure, elsewhere the test is ignored.
 */
import assert from "node:assert/strict";
import { chromiumAvailable, chromiumPath, launchChromium, saveScreenshot } from "./chromium.ts";

const available = chromiumAvailable();
if (!available) {
  if (Deno.env.get("CI") === "true") {
    throw new Error(`CI=true and no chromium at ${chromiumPath()} (bash deploy/up.sh chromium)`);
  }
  console.warn(`chromium harness test IGNORED: no chromium at ${chromiumPath()}`);
}

const PAGE = `<!doctype html><title>harness</title><p id="out">waiting</p>
<script>
  fetch("/count").then((r) => r.text()).then((n) => { document.getElementById("out").textContent = "count " + n; });
  console.error("deliberate console error");
</script>`;

Deno.test({
  name: "chromium harness: renders a page, collects console errors, saves a screenshot",
  ignore: !available,
  async fn() {
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/count") return new Response("42");
      return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto("chrome://version");
      const commandLine = await page.locator("#command_line").innerText();
      for (const flag of ["--disable-quic", "--no-first-run", "--no-sandbox", "--disable-sync"]) {
        assert.ok(commandLine.includes(flag), `${flag} missing from ${commandLine}`);
      }
      assert.ok(commandLine.includes(`--user-data-dir=${browser.userDataDir}`), commandLine);
      await page.goto(`http://127.0.0.1:${server.addr.port}/`);
      await page.locator("#out", { hasText: /^count 42$/ }).waitFor();
      assert.deepEqual(browser.pageErrors, ["deliberate console error"]);
      const path = await saveScreenshot(page, "chromium harness/self test");
      assert.match(path, /\.data\/artifacts\/chromium_harness_self_test\.png$/);
      const png = await Deno.readFile(path);
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.ok(png.length > 1000, `screenshot of ${png.length} bytes`);
      assert.ok((await Deno.stat(browser.userDataDir)).isDirectory);
    } finally {
      await browser.close();
      await server.shutdown();
    }
    await assert.rejects(Deno.stat(browser.userDataDir), Deno.errors.NotFound);
    await browser.close(); // a second close is harmless
  },
});
