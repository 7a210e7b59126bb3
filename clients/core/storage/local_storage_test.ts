import assert from "node:assert/strict";
import { browserStorage } from "./browser_storage.ts";
import { LocalStorageAdapter } from "./local_storage.ts";
import { MemoryStorage } from "./memory_storage.ts";

Deno.test("localStorage adapter: prefixed keys, values survive a new adapter, remove", async () => {
  const prefix = `test-${crypto.randomUUID()}:`;
  try {
    const first = new LocalStorageAdapter({ prefix });
    assert.equal(await first.get("queue"), undefined);
    await first.set("queue", "[1]");
    await first.set("anonymous_id", "a-1");
    assert.equal(localStorage.getItem(`${prefix}queue`), "[1]", "stored under the prefix");
    const second = new LocalStorageAdapter({ prefix });
    assert.equal(await second.get("queue"), "[1]");
    await second.remove("queue");
    assert.equal(await second.get("queue"), undefined);
    assert.equal(
      await new LocalStorageAdapter({ prefix: "other:" }).get("anonymous_id"),
      undefined,
    );
  } finally {
    for (const key of ["queue", "anonymous_id"]) localStorage.removeItem(prefix + key);
  }
});

Deno.test("localStorage adapter: a full store rejects the write instead of throwing", async () => {
  const full = {
    getItem: () => null,
    setItem: () => {
      throw new DOMException("quota", "QuotaExceededError");
    },
    removeItem: () => {},
  } as unknown as Storage;
  await assert.rejects(new LocalStorageAdapter({ storage: full }).set("queue", "x"), /quota/);
});

Deno.test("browser storage: IndexedDB first, else localStorage, else memory", () => {
  assert.ok(browserStorage(undefined, { localStorage }) instanceof LocalStorageAdapter);
  assert.ok(browserStorage(undefined, {}) instanceof MemoryStorage);
  assert.ok(browserStorage(["memory"], { localStorage }) instanceof MemoryStorage);
});
