import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { logPath } from "./log_path.ts";

Deno.test("logPath drops the query (a write key may be in it) and the fragment", () => {
  assertEquals(logPath("/analytics?write_key=wk_abc&x=1"), "/analytics");
  assertEquals(logPath("/analytics.v1.IngestService/Track"), "/analytics.v1.IngestService/Track");
  assertEquals(logPath("/a#write_key=k"), "/a");
  assertEquals(logPath(undefined), "");
});
