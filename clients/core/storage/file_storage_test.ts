import assert from "node:assert/strict";
import { FileStorage } from "./file_storage.ts";

Deno.test("file storage: values survive a new instance, writes leave no temporary files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "client-storage-" });
  try {
    const first = new FileStorage(`${dir}/sub`);
    assert.equal(await first.get("queue"), undefined);
    await first.set("queue", "one");
    await first.set("queue", "two");
    await first.set("anonymous_id", "a-1");
    const second = new FileStorage(`${dir}/sub`);
    assert.equal(await second.get("queue"), "two");
    assert.equal(await second.get("anonymous_id"), "a-1");
    await second.remove("queue");
    await second.remove("queue");
    assert.equal(await second.get("queue"), undefined);
    const names = [];
    for await (const entry of Deno.readDir(`${dir}/sub`)) names.push(entry.name);
    assert.deepEqual(names, ["anonymous_id.json"]);
    await assert.rejects(second.set("../escape", "x"), /storage key "\.\.\/escape"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
