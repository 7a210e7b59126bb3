import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { murmur2, partitionKeyOf, partitionOf } from "./partitioner.ts";

const encode = (s: string) => new TextEncoder().encode(s);

Deno.test("murmur2 matches Kafka's reference vectors (UtilsTest.testMurmur2)", () => {
  const cases: [string, number][] = [
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ];
  for (const [input, expected] of cases) assertEquals(murmur2(encode(input)), expected, input);
});

Deno.test("partitionOf is stable and within range", () => {
  for (let i = 0; i < 1000; i++) {
    const p = partitionOf(`user-${i}`, 6);
    assertEquals(p >= 0 && p < 6, true);
    assertEquals(partitionOf(`user-${i}`, 6), p);
  }
});

Deno.test("partitionKeyOf prefers user, then device, then anonymous, then session id", () => {
  const ids = { userId: "u", deviceId: "d", anonymousId: "a", sessionId: "s" };
  assertEquals(partitionKeyOf(ids), "u");
  assertEquals(partitionKeyOf({ ...ids, userId: "" }), "d");
  assertEquals(partitionKeyOf({ ...ids, userId: "", deviceId: "" }), "a");
  assertEquals(partitionKeyOf({ userId: "", deviceId: "", anonymousId: "", sessionId: "s" }), "s");
});
