/**
 * The mobile client runs where React Native runs: its bundle (esbuild, platform neutral, as a
 * React Native bundler would see it) holds no Node built-in and names no DOM global, and,
 * evaluated in a fresh JavaScript realm that has only what React Native provides (fetch and its
 * classes, timers, URL, TextEncoder/TextDecoder, crypto.getRandomValues from the usual polyfill,
 * console) — no `window`, `document`, `process`, `Deno`, `require` — it plays a session against
 * a real ingest and every event is accepted.
 */
import assert from "node:assert/strict";
import vm from "node:vm";
import { Channel } from "@analytics/schema";
import { bundleClient } from "../testdata/bundle.ts";
import { startLocalIngest } from "../testdata/local_ingest.ts";

const bundle = await bundleClient(new URL("./mod.ts", import.meta.url), {
  format: "iife",
  globalName: "AnalyticsMobile",
});

/** Feature probes that look for a runtime by name and cope with its absence. */
const GUARDED_PROBES = [
  // @bufbuild/protobuf: is 64-bit integer support usable (a runtime check, typeof-guarded)?
  /\(!!globalThis\.Deno \|\| !!globalThis\.Bun \|\| typeof process != "object" \|\| typeof process\.env != "object" \|\| process\.env\.BUF_BIGINT_DISABLE !== "1"\)/,
  // the core's scheduler: unref a timer where the runtime has that notion.
  /const deno = globalThis\.Deno;/,
];

Deno.test("mobile bundle: no Node module, no DOM global, Deno and process only in guarded probes", () => {
  assert.ok(
    bundle.inputs.some((input) => input.includes("@connectrpc/connect-web")),
    "sanity: the bundle holds the fetch transport",
  );
  const nodeOnly = bundle.inputs.filter((i) =>
    /connect-node|node:|file_storage|grpc_transport/.test(i)
  );
  assert.deepEqual(nodeOnly, []);
  let code = bundle.code;
  for (const probe of GUARDED_PROBES) {
    assert.match(code, probe, `the known probe ${probe} is still there (update the list)`);
    code = code.replace(new RegExp(probe.source, "g"), "");
  }
  const forbidden =
    /\bnode:|\brequire\(|\bDeno\b|\bprocess\b|\bwindow\b|\bdocument\b|\bnavigator\b|\bBuffer\b|__dirname/g;
  const hits = [...code.matchAll(forbidden)].map((m) =>
    code.slice(Math.max(0, m.index - 50), m.index + 30).replace(/\s+/g, " ")
  );
  assert.deepEqual(hits, []);
});

/** The globals a React Native app has (with react-native-get-random-values), nothing else. */
function reactNativeLikeGlobals(): Record<string, unknown> {
  return {
    fetch: globalThis.fetch.bind(globalThis),
    Headers,
    Request,
    Response,
    AbortController,
    AbortSignal,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    console,
    crypto: { getRandomValues: (array: Uint8Array) => crypto.getRandomValues(array) },
  };
}

Deno.test("mobile bundle: evaluated without DOM, Node or Deno globals, a session reaches a real ingest", async () => {
  const ingest = await startLocalIngest("mobile");
  try {
    const sandbox = vm.createContext({
      ...reactNativeLikeGlobals(),
      ANALYTICS_URL: ingest.httpUrl,
      ANALYTICS_WRITE_KEY: ingest.writeKey,
    });
    const absent = vm.runInContext(
      `["window", "document", "process", "Deno", "require", "navigator", "localStorage"]
        .filter((name) => typeof globalThis[name] !== "undefined")`,
      sandbox,
    );
    assert.deepEqual([...absent], [], "the realm really lacks them");
    vm.runInContext(bundle.code, sandbox, { filename: "analytics-mobile.bundle.js" });
    const result = await vm.runInContext(
      `(async () => {
        const analytics = await AnalyticsMobile.createMobileAnalytics({
          writeKey: ANALYTICS_WRITE_KEY,
          url: ANALYTICS_URL,
          device: { osName: "Android", osVersion: "14", appVersion: "4.12.0", deviceModel: "Pixel 8" },
          storage: new AnalyticsMobile.AsyncStorageAdapter({
            items: new Map(),
            async getItem(key) { return this.items.get(key) ?? null; },
            async setItem(key, value) { this.items.set(key, value); },
            async removeItem(key) { this.items.delete(key); },
          }),
        });
        const ids = [
          analytics.screen("Home").eventId,
          analytics.tap("search_field").eventId,
          analytics.swipe("up", { distance: 420 }).eventId,
          analytics.background().eventId,
        ];
        const stats = await analytics.shutdown();
        return { ids, accepted: stats.accepted, rejected: stats.rejected };
      })()`,
      sandbox,
    );
    assert.equal(result.rejected, 0);
    assert.equal(result.accepted, 4);
    await ingest.stop();
    const stored = await ingest.storedEvents();
    assert.deepEqual(stored.map((e) => e.eventId).sort(), [...result.ids].sort());
    assert.ok(stored.every((e) => e.channel === Channel.MOBILE && e.platform === "android"));
    assert.ok(
      stored.every((e) => e.context.case === "mobile" && e.context.value.deviceModel === "Pixel 8"),
    );
  } finally {
    await ingest.dispose();
  }
});
