import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { Channel } from "@analytics/schema";
import { newWriteKey } from "./key_hash.ts";
import { parseWriteKeys } from "./write_key.ts";

const HASH = "a".repeat(64);

Deno.test("parseWriteKeys reads the compact form with and without channels", () => {
  assertEquals(parseWriteKeys(`site:${HASH}:web+mobile, api:${"B".repeat(64)}`, "V"), [
    { source: "site", keyHash: HASH, channels: new Set([Channel.WEB, Channel.MOBILE]) },
    { source: "api", keyHash: "b".repeat(64), channels: "all" },
  ]);
});

Deno.test("parseWriteKeys reads JSON with channels and a rate limit", () => {
  const json = JSON.stringify({
    keys: [
      {
        source: "bots",
        sha256: HASH,
        channels: ["chat", "speech"],
        rate_limit: { events_per_second: 50, burst: 100 },
      },
      { source: "all", sha256: "c".repeat(64), channels: "*" },
    ],
  });
  assertEquals(parseWriteKeys(json, "V"), [
    {
      source: "bots",
      keyHash: HASH,
      channels: new Set([Channel.CHAT, Channel.SPEECH]),
      rateLimit: { eventsPerSecond: 50, burst: 100 },
    },
    { source: "all", keyHash: "c".repeat(64), channels: "all" },
  ]);
  assertEquals(parseWriteKeys(`[{"source":"s","sha256":"${HASH}"}]`, "V").length, 1);
  assertEquals(parseWriteKeys("  ", "V"), []);
});

Deno.test("parseWriteKeys names the place and the problem", () => {
  const cases: [string, RegExp][] = [
    ["site:secret-key", /V\[0\]: expected the key's SHA-256 .* never the key itself/],
    [`site:${HASH}:web+fax`, /V\[0\]: unknown channel "fax"/],
    [`bad source:${HASH}`, /V\[0\]: source "bad source"/],
    ["justaname", /V\[0\]: expected source:sha256\[:channel\+channel\], got 1 part\(s\)$/],
    [`[{"source":"s","sha256":"${HASH}","not_after":"2026-12-01"}]`, /V\[0\]\.not_after: expected/],
    [`[{"source":"s","sha256":"${HASH}","not_after":"2026-12-01T00:00:00"}]`, /\.not_after/],
    [`[{"source":"s","sha256":"${HASH}","revoked":"yes"}]`, /V\[0\]\.revoked: expected true/],
    ["[1]", /V\[0\]: expected an object/],
    ["{nope", /V: not valid JSON/],
    [`[{"source":"s","sha256":"${HASH}","key":"x"}]`, /V\[0\]: unknown field "key"/],
    [
      `[{"source":"s","sha256":"${HASH}","rate_limit":{"events_per_second":0}}]`,
      /V\[0\]\.rate_limit\.events_per_second/,
    ],
    [`[{"source":"s","sha256":"${HASH}","channels":[]}]`, /V\[0\]\.channels: names no channel/],
  ];
  for (const [text, pattern] of cases) throws(() => parseWriteKeys(text, "V"), pattern, text);
});

Deno.test("parseWriteKeys reads not_after and revoked from JSON", () => {
  const json = JSON.stringify([
    { source: "old", sha256: HASH, revoked: true },
    { source: "new", sha256: "d".repeat(64), not_after: "2026-12-01T01:00:00+01:00" },
    { source: "kept", sha256: "e".repeat(64), revoked: false },
  ]);
  assertEquals(parseWriteKeys(json, "V"), [
    { source: "old", keyHash: HASH, channels: "all", revoked: true },
    {
      source: "new",
      keyHash: "d".repeat(64),
      channels: "all",
      notAfter: new Date("2026-12-01T00:00:00Z"),
    },
    { source: "kept", keyHash: "e".repeat(64), channels: "all" },
  ]);
});

Deno.test("parse errors never repeat an entry, which may be a key pasted by mistake", () => {
  const pasted = newWriteKey();
  for (const text of [pasted, `${pasted},site:${HASH}`, `a:b:c:${pasted}`]) {
    throws(() => parseWriteKeys(text, "V"), (error: Error) => !error.message.includes(pasted));
  }
});
