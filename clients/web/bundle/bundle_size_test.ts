import assert from "node:assert/strict";
import { buildWebBundle } from "./build_bundle.ts";

Deno.test("web bundle: one ESM file, at most 20 KB gzipped, no Node module, no Protobuf descriptors", async () => {
  const bundle = await buildWebBundle();
  const text = new TextDecoder().decode(bundle.code);
  assert.ok(
    bundle.gzipBytes <= 20 * 1024,
    `the web bundle is ${bundle.gzipBytes} bytes gzipped, over 20 KiB; largest inputs:\n` +
      bundle.inputs.slice(0, 8).map((i) => `${i.bytes}\t${i.path}`).join("\n"),
  );
  assert.match(text, /export\s*\{[^}]*createWebAnalytics/, "exports createWebAnalytics");
  assert.doesNotMatch(text, /\bimport\s*[^(]/, "self-contained: no import statements left");
  // The schema's descriptors (and protovalidate's) are what made the Protobuf path too heavy.
  assert.doesNotMatch(text, /validate\.proto|analytics\/v1\/event\.proto/);
  const files = bundle.inputs.map((i) => i.path);
  assert.ok(
    files.some((f) => f.endsWith("clients/core/client/event_client.ts")),
    "the shared core",
  );
  assert.ok(!files.some((f) => f.includes("codegenv2") || f.includes("connect-web")));
});

Deno.test("web bundle: builds at the same time in one process all finish, with the same bytes", async () => {
  const [a, b] = await Promise.all([buildWebBundle(), buildWebBundle()]);
  assert.deepEqual(a.code, b.code);
});
