import assert from "node:assert/strict";
import { mergeBatches, sampleBatch } from "../testkit/events.ts";
import { firstOfEachId } from "./first_of_each_id.ts";

Deno.test("firstOfEachId keeps the first copy of each event_id, in batch order", () => {
  const batch = sampleBatch(5, { partition: 0 });
  const [a, b, c] = batch.records;
  // b and a again at later offsets (a client re-sent them), c again in the same position.
  const again = (r: typeof a, offset: bigint) => ({ ...r, record: { ...r.record, offset } });
  const records = [...batch.records, again(b, 5n), again(a, 6n), again(c, 7n)];
  const kept = firstOfEachId(records);
  assert.deepEqual(kept, batch.records);
  assert.equal(kept[0].record.offset, 0n);
});

Deno.test("firstOfEachId leaves a batch without repeats as it is", () => {
  const batch = mergeBatches(sampleBatch(4, { partition: 1 }), sampleBatch(3, { partition: 2 }));
  assert.deepEqual(firstOfEachId(batch.records), batch.records);
  assert.deepEqual(firstOfEachId([]), []);
});
