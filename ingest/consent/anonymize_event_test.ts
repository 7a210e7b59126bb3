import { deepStrictEqual as assertEquals, match, notEqual, ok } from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import fc from "fast-check";
import { enrichEvent } from "../enrich/enrich_event.ts";
import { createUserAgentParser } from "../enrich/user_agent.ts";
import { sampleAgentEvent, sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { anonymizeEvent, derivedAnonymousId } from "./anonymize_event.ts";

const parseUserAgent = createUserAgentParser();

function enriched(fields: Parameters<typeof sampleWebEvent>[0] = {}) {
  return enrichEvent(
    sampleWebEvent({
      userId: "user-42",
      deviceId: "device-9",
      anonymousId: "anon-browser-1",
      client: {
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0 Safari/537.36",
        ip: "198.51.100.23",
        globalPrivacyControl: true,
      },
      context: {
        case: "web",
        value: {
          url: "https://shop.example.com/pricing?email=a%40b.example&utm_source=news#top",
          path: "/pricing",
          referrer: "https://search.example/results?q=my+name",
        },
      },
      ...fields,
    }),
    { receivedAt: timestampFromMs(Date.now()), source: "site", remoteAddress: "203.0.113.9" },
    { storeFullIp: false, parseUserAgent },
  );
}

Deno.test("anonymizeEvent removes identifiers and keeps what analytics needs", () => {
  const event = anonymizeEvent(enriched());
  assertEquals([event.userId, event.deviceId], ["", ""]);
  assertEquals(event.anonymousId, derivedAnonymousId("site", "session-1"));
  match(event.anonymousId, /^anon-[0-9a-f]{32}$/);
  assertEquals([event.client?.ip, event.client?.userAgent, event.enrichment?.ip], ["", "", ""]);
  assertEquals(event.enrichment?.anonymised, true);
  assertEquals(event.enrichment?.userAgent?.browserName, "Chrome");
  assertEquals(event.enrichment?.source, "site");
  ok(event.context.case === "web");
  assertEquals(event.context.value.url, "https://shop.example.com/pricing");
  assertEquals(event.context.value.path, "/pricing");
  assertEquals(event.context.value.referrer, "https://search.example");
  assertEquals(event.context.value.utm?.source, "news");
  assertEquals(event.resourceId, "https://shop.example.com/pricing");
  assertEquals([event.sessionId, event.eventType], ["session-1", "page_view"]);
  ok(event.enrichment?.receivedAt);
});

Deno.test("the derived anonymous id is per source and session, stable across retries", () => {
  assertEquals(derivedAnonymousId("site", "s-1"), derivedAnonymousId("site", "s-1"));
  notEqual(derivedAnonymousId("site", "s-1"), derivedAnonymousId("site", "s-2"));
  notEqual(derivedAnonymousId("site", "s-1"), derivedAnonymousId("other", "s-1"));
});

Deno.test("anonymizeEvent handles events of other channels and odd URLs", () => {
  const agent = anonymizeEvent(
    enrichEvent(sampleAgentEvent({ resourceId: "/tasks/7?token=abc" }), {
      receivedAt: timestampFromMs(0),
      source: "agents",
    }, { storeFullIp: true, parseUserAgent }),
  );
  assertEquals(agent.userId, "");
  assertEquals(agent.resourceId, "/tasks/7");
  assertEquals(agent.context.case, "agent");
  const odd = anonymizeEvent(enriched({
    context: { case: "web", value: { url: "not a url?x=1", referrer: "android-app://com.x" } },
  }));
  ok(odd.context.case === "web");
  assertEquals(odd.context.value.url, "not a url?x=1");
  assertEquals(odd.context.value.referrer, "");
  const bare = anonymizeEvent(create(EventSchema, { sessionId: "s" }));
  assertEquals(bare.anonymousId, derivedAnonymousId("", "s"));
});

Deno.test("property: no user, device, IP, query string or original anonymous id survives", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }),
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.ipV4(),
      (userId, anonymousId, url, ip) => {
        const event = anonymizeEvent(enriched({
          userId,
          anonymousId,
          client: { ip },
          context: { case: "web", value: { url, referrer: url } },
        }));
        ok(event.userId === "" && event.deviceId === "" && event.client?.ip === "");
        ok(event.enrichment?.ip === "" && event.enrichment.anonymised);
        ok(event.anonymousId.startsWith("anon-") && event.anonymousId !== anonymousId);
        ok(event.context.case === "web");
        ok(!event.context.value.url.includes("?") && !event.context.value.url.includes("#"));
        ok(!event.context.value.referrer.includes("/", "https://".length));
      },
    ),
  );
});
