import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { join } from "node:path";
import { decodeEntry, encodeEntry, type SuppressionEntry } from "./suppression_entry.ts";
import { FileSuppressionLog, suppressionFilePath } from "./file_suppression_log.ts";
import { SuppressionList } from "./suppression_list.ts";
import { openSuppressionList } from "./open_suppression_list.ts";

function entry(id: string, kind: "user" | "anonymous" = "user"): SuppressionEntry {
  return { id, kind, deletionId: "del-1", at: Date.parse("2026-11-28T08:00:00Z") };
}

Deno.test("an entry survives encoding; a malformed one is refused naming it", () => {
  const e = entry("u-1", "anonymous");
  deepEqual(decodeEntry(encodeEntry(e)), e);
  throws(() => decodeEntry(`{"id":"u","kind":"robot","deletion_id":"d","at":"x"}`), /robot/);
});

Deno.test("a second list on the same folder sees entries another one added, by tailing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const writer = await openSuppressionList({ kind: "local", dir, topic: "t.events" });
    const reader = await openSuppressionList({ kind: "local", dir, topic: "t.events" }, {
      tailIntervalMs: 20,
    });
    equal(reader.size, 0);
    await writer.add([entry("u-1"), entry("anon-1", "anonymous")]);
    ok(writer.has("u-1"));
    for (let i = 0; i < 200 && !reader.has("anon-1"); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    ok(reader.has("u-1") && reader.has("anon-1"));
    equal(reader.fieldOf({ userId: "", anonymousId: "anon-1" }), "anonymous_id");
    equal(reader.fieldOf({ userId: "u-1", anonymousId: "x" }), "user_id");
    equal(reader.fieldOf({ userId: "u-2", anonymousId: "" }), undefined);
    // A list opened later reads the whole file at open.
    const late = await openSuppressionList({ kind: "local", dir, topic: "t.events" });
    deepEqual(late.entries().map((e) => e.id).sort(), ["anon-1", "u-1"]);
    // Other topics have lists of their own.
    const other = await openSuppressionList({ kind: "local", dir, topic: "other" });
    equal(other.size, 0);
    await Promise.all([writer.close(), reader.close(), late.close(), other.close()]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a line still being appended is read once it is complete", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = suppressionFilePath(dir, "t");
    await Deno.mkdir(join(dir, "suppressions"));
    const line = encodeEntry(entry("u-9"));
    await Deno.writeTextFile(path, line.slice(0, 10));
    const log = new FileSuppressionLog(path);
    const list = await SuppressionList.open(log, { tailIntervalMs: 60_000 });
    equal(list.size, 0);
    await Deno.writeTextFile(path, line.slice(10) + "\n", { append: true });
    await list.refresh();
    ok(list.has("u-9"));
    await list.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt suppression file fails the open instead of suppressing nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = suppressionFilePath(dir, "t");
    await Deno.mkdir(join(dir, "suppressions"));
    await Deno.writeTextFile(path, "not json\n");
    await rejects(() => SuppressionList.open(new FileSuppressionLog(path)), SyntaxError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
