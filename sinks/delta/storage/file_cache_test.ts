import assert from "node:assert/strict";
import { join } from "node:path";
import { FileCache } from "./file_cache.ts";
import { LocalObjectStore } from "./local_object_store.ts";

Deno.test("FileCache downloads, adopts, and evicts the least recently used above its bound", async () => {
  const root = await Deno.makeTempDir({ prefix: "file-cache-" });
  try {
    const remote = new LocalObjectStore(join(root, "remote"));
    for (const name of ["a", "b", "c"]) {
      await remote.put(`event_date=2026-01-10/${name}.parquet`, new Uint8Array(100).fill(1));
    }
    const key = (name: string) => `event_date=2026-01-10/${name}.parquet`;
    const cache = await FileCache.open({ dir: join(root, "cache"), maxBytes: 250 }, "s3://b/t");

    const [a] = await cache.paths(remote, [key("a")]);
    assert.equal((await Deno.readFile(a)).length, 100);
    await cache.paths(remote, [key("b")]);
    await cache.paths(remote, [key("a")]); // a is now more recent than b
    await cache.paths(remote, [key("c")]); // 300 bytes > 250: b goes
    assert.equal(cache.totalBytes, 200);
    await assert.rejects(Deno.stat(cache.pathOf(key("b"))), Deno.errors.NotFound);
    await Deno.stat(cache.pathOf(key("a")));

    // A file just written is adopted (moved in), and evicts the oldest.
    const local = join(root, "new.parquet");
    await Deno.writeFile(local, new Uint8Array(120));
    await cache.adopt(key("d"), local);
    await assert.rejects(Deno.stat(local), Deno.errors.NotFound);
    assert.equal(cache.totalBytes, 220);
    await assert.rejects(Deno.stat(cache.pathOf(key("a"))), Deno.errors.NotFound);

    // The files of one request are kept even when together they exceed the bound.
    const paths = await cache.paths(remote, [key("a"), key("b"), key("c")]);
    for (const path of paths) await Deno.stat(path);
    assert.equal(cache.totalBytes, 300);

    // A copy removed behind the cache's back (another process evicted it) is downloaded again.
    await Deno.remove(cache.pathOf(key("b")));
    await cache.paths(remote, [key("b")]);
    await Deno.stat(cache.pathOf(key("b")));

    // Reopening indexes what is there, and a key missing from the store is an error.
    const reopened = await FileCache.open({ dir: join(root, "cache"), maxBytes: 250 }, "s3://b/t");
    assert.ok(reopened.totalBytes <= 250);
    assert.equal(reopened.dir, cache.dir);
    await assert.rejects(reopened.paths(remote, [key("zz")]), /zz\.parquet is in the log but not/);
    const other = await FileCache.open({ dir: join(root, "cache"), maxBytes: 250 }, "s3://b/u");
    assert.notEqual(other.dir, cache.dir);
    // The bound is on every table's files under the root: another table's old copies go first.
    assert.equal(other.totalBytes, reopened.totalBytes);
    await other.paths(remote, [key("a"), key("b"), key("c")]);
    assert.equal(other.totalBytes, 300);
    assert.deepEqual([...Deno.readDirSync(cache.dir)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
