import assert from "node:assert/strict";
import { openLedger, readLedger } from "./ledger.ts";

Deno.test("ledger: appends in call order and reads back every id", async () => {
  const path = await Deno.makeTempFile();
  try {
    const ledger = await openLedger(path);
    const writes = [];
    for (let i = 0; i < 50; i++) writes.push(ledger.append([`a${i}`, `b${i}`]));
    writes.push(ledger.append([]));
    await Promise.all(writes);
    await ledger.close();
    const ids = await readLedger(path);
    assert.equal(ids.length, 100);
    assert.deepEqual(ids.slice(0, 4), ["a0", "b0", "a1", "b1"]);
  } finally {
    await Deno.remove(path);
  }
});
