import assert from "node:assert/strict";
import { nulFreeJson, nulFreeText } from "./nul_free.ts";

Deno.test("nulFreeText replaces each NUL and leaves other text as it is", () => {
  assert.equal(nulFreeText("plain"), "plain");
  assert.equal(nulFreeText("a\0b\0\0"), "a\uFFFDb\uFFFD\uFFFD");
});

Deno.test("nulFreeJson replaces escaped NULs, not an escaped backslash before 'u0000'", () => {
  const value = { k: "x\0y\0\0", "\0key": ["\\u0000", "\\\0"] };
  const json = nulFreeJson(JSON.stringify(value));
  assert.deepEqual(JSON.parse(json), {
    k: "x\uFFFDy\uFFFD\uFFFD",
    "\uFFFDkey": ["\\u0000", "\\\uFFFD"],
  });
  assert.equal(nulFreeJson('{"a":"b"}'), '{"a":"b"}');
});
