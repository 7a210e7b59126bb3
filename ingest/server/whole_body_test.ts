import assert from "node:assert/strict";
import { WholeBody } from "./whole_body.ts";

Deno.test("a whole body iterates as one chunk, each time it is iterated", async () => {
  const bytes = new TextEncoder().encode('{"events":[]}');
  const body = new WholeBody(bytes);
  for (let round = 0; round < 2; round++) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    assert.deepEqual(chunks, [bytes]);
  }
});

Deno.test("an empty whole body iterates as one empty chunk", async () => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of new WholeBody(new Uint8Array())) chunks.push(chunk);
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0].byteLength, 0);
});
