import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { createLogger } from "../observability/logger.ts";
import { MetricsRegistry } from "../observability/metrics_registry.ts";
import { hashWriteKey, newWriteKey } from "./key_hash.ts";
import { parseWriteKeys } from "./write_key.ts";
import { watchWriteKeyFile } from "./write_key_file.ts";
import { WriteKeyStore } from "./write_key_store.ts";

function setup() {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/keys.json`;
  const inline = newWriteKey();
  const a = newWriteKey();
  const fixed = parseWriteKeys(`backend:${hashWriteKey(inline)}`, "INGEST_WRITE_KEYS");
  const text = JSON.stringify([{ source: "site", sha256: hashWriteKey(a) }]);
  Deno.writeTextFileSync(path, text);
  const fromFile = parseWriteKeys(text, "file");
  const store = new WriteKeyStore([...fixed, ...fromFile]);
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  const registry = new MetricsRegistry();
  const reloads = registry.counter("reloads", "test");
  const watch = watchWriteKeyFile({
    path,
    store,
    fixed,
    initialText: text,
    intervalMs: 0,
    onSighup: false,
    log,
    reloads,
  });
  return {
    path,
    keys: { inline, a },
    store,
    lines,
    watch,
    registry,
    [Symbol.dispose]() {
      watch.stop();
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

Deno.test("a changed key file replaces the file's keys and keeps the inline ones", async () => {
  using t = setup();
  assertEquals(await t.watch.reload(), { outcome: "unchanged" });
  const b = newWriteKey();
  Deno.writeTextFileSync(
    t.path,
    JSON.stringify([
      { source: "site", sha256: hashWriteKey(t.keys.a), revoked: true },
      { source: "site", sha256: hashWriteKey(b) },
    ]),
  );
  assertEquals(await t.watch.reload(), { outcome: "reloaded", keys: 3 });
  assertEquals(t.store.lookup(t.keys.inline)?.source, "backend");
  assertEquals(t.store.lookup(t.keys.a)?.revoked, true);
  assertEquals(t.store.lookup(b)?.source, "site");
  assertEquals(t.registry.value("reloads", { outcome: "reloaded" }), 1);
  assertEquals(t.lines.at(-1)?.msg, "write keys reloaded");
  assertEquals(t.lines.at(-1)?.revoked, 1);
});

Deno.test("a bad, empty, duplicated or missing key file keeps the previous keys", async () => {
  using t = setup();
  const a = hashWriteKey(t.keys.a);
  const bad: [string | undefined, RegExp][] = [
    ["{not json", /not valid JSON/],
    ["   \n", /the file is empty/],
    [`site:${a},other:${a}`, /configured twice/],
    [JSON.stringify([{ source: "site", sha256: hashWriteKey(t.keys.inline) }]), /twice/],
    [`site:${t.keys.a}`, /never the key itself/],
    [undefined, /cannot read the file/],
  ];
  for (const [text, reason] of bad) {
    if (text === undefined) Deno.removeSync(t.path);
    else Deno.writeTextFileSync(t.path, text);
    const outcome = await t.watch.reload();
    ok(outcome.outcome === "failed" && reason.test(outcome.reason), `${text}: ${outcome}`);
    assertEquals(t.store.size, 2, String(text));
    assertEquals(t.store.lookup(t.keys.a)?.source, "site");
    assertEquals(t.store.lookup(t.keys.inline)?.source, "backend");
  }
  const refusals = t.lines.filter((l) => l.level === "error");
  assertEquals(refusals.length, bad.length);
  // The pasted key is never logged.
  ok(t.lines.every((line) => !JSON.stringify(line).includes(t.keys.a)));
  assertEquals(t.registry.value("reloads", { outcome: "failed" }), bad.length);
});

Deno.test("a file that stays bad is logged once, and a fixed file is applied", async () => {
  using t = setup();
  Deno.writeTextFileSync(t.path, "{not json");
  for (let i = 0; i < 3; i++) assertEquals((await t.watch.reload()).outcome, "failed");
  assertEquals(t.lines.filter((l) => l.level === "error").length, 1);
  Deno.writeTextFileSync(t.path, "[]");
  assertEquals(await t.watch.reload(), { outcome: "reloaded", keys: 1 });
  assertEquals(t.store.lookup(t.keys.a), undefined);
});

Deno.test("polling picks up a change without a call", async () => {
  using t = setup();
  const watch = watchWriteKeyFile({
    path: t.path,
    store: t.store,
    fixed: [],
    intervalMs: 20,
    onSighup: false,
    log: createLogger({ write: () => {} }),
  });
  try {
    const b = newWriteKey();
    Deno.writeTextFileSync(t.path, `site:${hashWriteKey(b)}`);
    while (t.store.lookup(b) === undefined) await new Promise((r) => setTimeout(r, 10));
    assertEquals(t.store.size, 1);
  } finally {
    watch.stop();
  }
});
