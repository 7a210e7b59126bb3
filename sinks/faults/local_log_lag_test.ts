import assert from "node:assert/strict";
import { GroupOffsets } from "../../ingest/stream/local/group_offsets.ts";
import { openLocalLog } from "../../ingest/stream/local/mod.ts";
import { localLogLag } from "./local_log_lag.ts";

Deno.test("localLogLag: end offset minus each group's committed offset, per partition", async () => {
  const dir = await Deno.makeTempDir({ prefix: "local-log-lag-" });
  const log = await openLocalLog({ dir, partitions: 2 });
  try {
    const publisher = await log.publisher();
    const record = (key: string) => ({ key, value: new Uint8Array([1]), headers: {} });
    const outcomes = await publisher.publish("t", [record("a"), record("a"), record("a")]);
    const partition = outcomes[0].ok ? outcomes[0].position.partition : -1;
    const other = 1 - partition;
    const behind = await GroupOffsets.load(dir, "behind", "t");
    await behind.commit(new Map([[partition, 1n]]));
    const done = await GroupOffsets.load(dir, "done", "t");
    await done.commit(new Map([[partition, 3n]]));

    const lags = await localLogLag(dir, "t");
    assert.deepEqual([...lags.keys()].sort(), ["behind", "done"]);
    assert.equal(lags.get("behind")!.total, 2);
    assert.deepEqual(lags.get("behind")!.byPartition, new Map([[partition, 2], [other, 0]]));
    assert.equal(lags.get("done")!.total, 0);

    await publisher.publish("t", [record("a")]);
    assert.equal((await localLogLag(dir, "t")).get("done")!.total, 1);
  } finally {
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});
