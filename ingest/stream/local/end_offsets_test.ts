import assert from "node:assert/strict";
import { LocalEndOffsets } from "./end_offsets.ts";
import { openLocalLog } from "./local_log.ts";

Deno.test("LocalEndOffsets reads each partition's end from the files, incrementally", async () => {
  const dir = await Deno.makeTempDir({ prefix: "end-offsets-" });
  const log = await openLocalLog({ dir, partitions: 2 });
  const probe = new LocalEndOffsets(dir, "t");
  try {
    const publisher = await log.publisher();
    const record = (key: string) => ({ key, value: new Uint8Array([1]), headers: {} });
    const outcomes = await publisher.publish("t", [record("a"), record("a"), record("a")]);
    const partition = outcomes[0].ok ? outcomes[0].position.partition : -1;
    const other = 1 - partition;
    assert.deepEqual(
      await probe.endOffsets([partition, other]),
      new Map([[partition, 3n], [other, 0n]]),
    );
    await publisher.publish("t", [record("a")]);
    assert.equal((await probe.endOffsets([partition])).get(partition), 4n);
  } finally {
    probe.close();
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
});
