import assert from "node:assert/strict";
import { fromBinary } from "@bufbuild/protobuf";
import { type Struct, StructSchema, type Value } from "@bufbuild/protobuf/wkt";
import { deepJson, deepStructBinary } from "./deep_values.ts";

function depthOf(struct: Struct): number {
  let depth = 0;
  let current: Struct | undefined = struct;
  while (current) {
    depth++;
    const value: Value | undefined = current.fields.a;
    current = value?.kind.case === "structValue" ? value.kind.value : undefined;
  }
  return depth;
}

Deno.test("deepStructBinary decodes as a Struct of exactly that depth", () => {
  for (const depth of [1, 2, 7, 30]) {
    assert.equal(depthOf(fromBinary(StructSchema, deepStructBinary(depth))), depth);
  }
});

Deno.test("deepJson is JSON of that depth", () => {
  let value = JSON.parse(deepJson(50, false));
  let depth = 0;
  while (typeof value === "object") {
    value = value.a;
    depth++;
  }
  assert.equal(depth, 50);
  assert.equal(JSON.stringify(JSON.parse(deepJson(3, true))), "[[[1]]]");
});
