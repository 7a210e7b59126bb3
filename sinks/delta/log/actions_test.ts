import assert from "node:assert/strict";
import { type Action, commitKey, commitVersionOf, decodeCommit, encodeCommit } from "./actions.ts";

Deno.test("commit keys are zero-padded to 20 digits and parse back", () => {
  assert.equal(commitKey(7), "_delta_log/00000000000000000007.json");
  assert.equal(commitVersionOf(commitKey(123456)), 123456);
  assert.equal(commitVersionOf("_delta_log/00000000000000000010.checkpoint.parquet"), undefined);
  assert.equal(commitVersionOf("_delta_log/_last_checkpoint"), undefined);
});

Deno.test("a commit is one JSON action per line and round-trips", () => {
  const actions: Action[] = [
    { commitInfo: { timestamp: 1, operation: "WRITE", operationParameters: { mode: "Append" } } },
    { txn: { appId: "lake-3", version: 41 } },
    {
      add: {
        path: "event_date=2026-01-10/a.parquet",
        partitionValues: { event_date: "2026-01-10" },
        size: 10,
        modificationTime: 2,
        dataChange: true,
        stats: '{"numRecords":1}',
      },
    },
  ];
  const text = new TextDecoder().decode(encodeCommit(actions));
  assert.equal(text.split("\n").length, 4);
  assert.ok(text.endsWith("\n"));
  assert.deepEqual(JSON.parse(text.split("\n")[1]), { txn: { appId: "lake-3", version: 41 } });
  assert.deepEqual(decodeCommit(encodeCommit(actions)), actions);
});
