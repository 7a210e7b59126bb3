/**
 * The core's browser storage adapters in a real browser (Deno has localStorage but no
 * IndexedDB): the bundle of `@analytics/client-core/json` on a page in headless Chromium, values
 * written, overwritten by racing writes, removed, and read back after a reload.
 *
 * @module
 */
import assert from "node:assert/strict";
import { launchChromium } from "../../testdata/chromium.ts";
import { buildWebBundle } from "./build_bundle.ts";

const CORE_JSON_ENTRY = new URL("../../core/json/mod.ts", import.meta.url).pathname;

const PAGE = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script type="module">
  globalThis.core = await import("/core.js");
  document.body.dataset.ready = "true";
</script></body></html>`;

interface StorageCore {
  IndexedDbStorage: new (o?: { database?: string }) => Storage;
  LocalStorageAdapter: new (o?: { prefix?: string }) => Storage;
  browserStorage: () => object;
}
interface Storage {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

Deno.test("browser storage in Chromium: IndexedDB and localStorage adapters keep values across a reload, racing writes land in call order", async () => {
  const bundle = await buildWebBundle(CORE_JSON_ENTRY);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/core.js") {
      return new Response(bundle.code.slice(), { headers: { "content-type": "text/javascript" } });
    }
    return new Response(PAGE, { headers: { "content-type": "text/html" } });
  });
  try {
    await using chromium = await launchChromium();
    const page = await chromium.newPage();
    await page.goto(`http://127.0.0.1:${server.addr.port}/`);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });

    const first = await page.evaluate(async () => {
      const core = (globalThis as unknown as { core: StorageCore }).core;
      const results: Record<string, unknown> = {};
      for (
        const [name, storage] of [
          ["indexedDB", new core.IndexedDbStorage({ database: "storage-test" })],
          ["localStorage", new core.LocalStorageAdapter({ prefix: "storage-test:" })],
        ] as const
      ) {
        const absent = await storage.get("queue");
        // Twenty writes of one key without waiting: the last call's value must win.
        await Promise.all(Array.from({ length: 20 }, (_, i) => storage.set("queue", `v${i}`)));
        const raced = await storage.get("queue");
        await storage.set("gone", "x");
        await storage.remove("gone");
        await storage.remove("never-set");
        await storage.set("kept", `${name} value`);
        results[name] = {
          absent: absent ?? null,
          raced,
          gone: (await storage.get("gone")) ?? null,
        };
      }
      results.picked = core.browserStorage() instanceof core.IndexedDbStorage;
      return results;
    });
    assert.deepEqual(first.indexedDB, { absent: null, raced: "v19", gone: null });
    assert.deepEqual(first.localStorage, { absent: null, raced: "v19", gone: null });
    assert.equal(first.picked, true, "IndexedDB is preferred where it exists");

    await page.reload();
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });
    const afterReload = await page.evaluate(async () => {
      const core = (globalThis as unknown as { core: StorageCore }).core;
      return [
        await new core.IndexedDbStorage({ database: "storage-test" }).get("kept"),
        await new core.LocalStorageAdapter({ prefix: "storage-test:" }).get("kept"),
        await new core.IndexedDbStorage({ database: "storage-test" }).get("queue"),
      ];
    });
    assert.deepEqual(afterReload, ["indexedDB value", "localStorage value", "v19"]);
    assert.deepEqual(chromium.pageErrors, []);
  } finally {
    await server.shutdown();
  }
});
