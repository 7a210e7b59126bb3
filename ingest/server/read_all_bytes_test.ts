import assert from "node:assert/strict";
import { concatBytes, readAllBytes } from "./read_all_bytes.ts";

async function* chunks(...parts: number[][]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new Uint8Array(part);
}

Deno.test("chunks are joined in order; one chunk comes back as it is; none gives empty", async () => {
  assert.deepEqual(await readAllBytes(chunks([1, 2], [], [3])), new Uint8Array([1, 2, 3]));
  const only = new Uint8Array([7, 8]);
  assert.equal(
    await readAllBytes((async function* () {
      yield only;
    })()),
    only,
  );
  assert.deepEqual(await readAllBytes(chunks()), new Uint8Array(0));
});

Deno.test("concatBytes joins in order into a new array", () => {
  const a = new Uint8Array([1]);
  const joined = concatBytes([a, new Uint8Array([2, 3]), new Uint8Array(0)]);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3]));
  assert.notEqual(concatBytes([a]), a);
});
