import assert from "node:assert/strict";
import { parseUtm } from "./utm.ts";

Deno.test("utm: the five parameters, trimmed and bounded; none gives undefined", () => {
  assert.deepEqual(
    parseUtm("https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=bf%202026&x=1"),
    { source: "news", medium: "email", campaign: "bf 2026" },
  );
  assert.deepEqual(parseUtm("https://a.example/?utm_term=%20shoes%20&utm_content=c"), {
    term: "shoes",
    content: "c",
  });
  assert.equal(parseUtm("https://a.example/?utm_source="), undefined);
  assert.equal(parseUtm("https://a.example/p"), undefined);
  assert.equal(parseUtm("not a url"), undefined);
  assert.equal(parseUtm(`https://a.example/?utm_source=${"s".repeat(300)}`)!.source!.length, 256);
});
