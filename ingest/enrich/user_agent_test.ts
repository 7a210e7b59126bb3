import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { createUserAgentParser } from "./user_agent.ts";
import { isBotUserAgent } from "./bot.ts";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

Deno.test("user agents are parsed into browser, OS and device", () => {
  const parse = createUserAgentParser();
  const phone = parse(SAFARI_IPHONE)!;
  assertEquals(
    [phone.browserName, phone.browserVersion, phone.osName, phone.osVersion],
    ["Mobile Safari", "17.0", "iOS", "17.0"],
  );
  assertEquals([phone.deviceType, phone.deviceVendor, phone.deviceModel], [
    "mobile",
    "Apple",
    "iPhone",
  ]);
  const desktop = parse(CHROME_LINUX)!;
  assertEquals([desktop.browserName, desktop.osName, desktop.deviceType], [
    "Chrome",
    "Linux",
    "desktop",
  ]);
  assertEquals(parse(""), undefined);
  assertEquals(parse("???"), undefined);
});

Deno.test("a cached parse gives equal, separate messages", () => {
  const parse = createUserAgentParser(2);
  const first = parse(CHROME_LINUX)!;
  first.browserName = "changed";
  assertEquals(parse(CHROME_LINUX)!.browserName, "Chrome");
  parse(SAFARI_IPHONE);
  parse(GOOGLEBOT); // evicts the oldest
  assertEquals(parse(CHROME_LINUX)!.browserName, "Chrome");
});

Deno.test("bots are flagged, browsers are not", () => {
  ok(isBotUserAgent(GOOGLEBOT));
  ok(isBotUserAgent("curl/8.5.0"));
  ok(!isBotUserAgent(CHROME_LINUX));
  ok(!isBotUserAgent(SAFARI_IPHONE));
  ok(!isBotUserAgent(""));
});

Deno.test("property: the load generator's user agents parse without error", () => {
  const parse = createUserAgentParser();
  const source = createEventSource({ seed: 3 });
  for (let i = 0; i < 2000; i++) {
    const ua = source.next().client?.userAgent ?? "";
    const parsed = parse(ua);
    if (parsed) ok(typeof parsed.browserName === "string");
  }
});
