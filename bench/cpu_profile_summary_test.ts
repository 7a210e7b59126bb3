import { deepStrictEqual as assertEquals, equal } from "node:assert/strict";
import { type CpuProfile, packageOf, summarizeProfile } from "./cpu_profile_summary.ts";

Deno.test("packageOf names npm packages, this repository's folders and the runtime", () => {
  equal(
    packageOf(
      "file:///work/main/node_modules/.deno/@bufbuild+cel@0.4.0/node_modules/@bufbuild/cel/dist/esm/type.js",
    ),
    "npm:@bufbuild/cel",
  );
  equal(packageOf("file:///work/main/node_modules/ajv/dist/compile/index.js"), "npm:ajv");
  equal(packageOf("file:///work/main/ingest/track/ingest_batch.ts"), "ingest");
  equal(packageOf("ext:deno_web/06_streams.js"), "deno runtime");
  equal(packageOf("", "(garbage collector)"), "((garbage collector))");
});

Deno.test("summarizeProfile adds self time per function and package, highest first", () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({
    functionName,
    url,
    lineNumber,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "") },
      {
        id: 2,
        callFrame: frame("eval", "file:///w/node_modules/@bufbuild/protovalidate/e.js", 40),
      },
      { id: 3, callFrame: frame("take", "file:///work/main/ingest/limits/token_bucket.ts", 15) },
    ],
    samples: [2, 2, 3, 2, 1],
    timeDeltas: [1000, 1000, 2000, 1000, 5000],
  };
  const summary = summarizeProfile(profile);
  equal(summary.totalMs, 10);
  assertEquals(summary.functions.map((r) => [r.name, r.selfMs]), [
    ["(root) :1", 5],
    ["eval @bufbuild/protovalidate/e.js:41", 3],
    ["take ingest/limits/token_bucket.ts:16", 2],
  ]);
  assertEquals(summary.packages.map((r) => [r.name, r.share]), [
    ["((root))", 0.5],
    ["npm:@bufbuild/protovalidate", 0.3],
    ["ingest", 0.2],
  ]);
});
