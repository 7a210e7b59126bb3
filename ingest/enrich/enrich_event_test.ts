import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { EVENT_SCHEMA } from "../stream/topics.ts";
import { sampleAgentEvent, sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { validateEvent } from "../validate/validate_event.ts";
import { enrichEvent, type RequestFacts } from "./enrich_event.ts";
import { INGEST_VERSION } from "./ingest_version.ts";
import { createUserAgentParser } from "./user_agent.ts";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";

const options = { storeFullIp: false, parseUserAgent: createUserAgentParser() };
const now = Date.now();
const request: RequestFacts = {
  receivedAt: timestampFromMs(now),
  source: "site",
  remoteAddress: "::ffff:198.51.100.23",
  userAgent: "grpc-node-js/1.0",
};

Deno.test("a web event gets every enrichment", () => {
  const event = sampleWebEvent({
    timestamp: timestampFromMs(now - 10_000),
    sentAt: timestampFromMs(now - 4_000),
    enrichment: { source: "forged", isBot: true, ip: "1.2.3.4" },
  });
  const enriched = enrichEvent(event, request, options).enrichment!;
  assertEquals(timestampMs(enriched.receivedAt!), now);
  assertEquals(timestampMs(enriched.correctedTime!), now - 6_000);
  assertEquals(enriched.source, "site", "the client's enrichment is replaced");
  assertEquals(enriched.ip, "198.51.100.0");
  assertEquals(enriched.userAgent?.browserName, "Chrome");
  assertEquals(enriched.isBot, false);
  assertEquals(enriched.schema, EVENT_SCHEMA);
  assertEquals(enriched.ingestVersion, INGEST_VERSION);
  assertEquals(enriched.anonymised, false);
  const web = event.context.case === "web" ? event.context.value : undefined;
  assertEquals([web?.utm?.source, web?.utm?.medium], ["news", "email"]);
});

Deno.test("the request's sent_at serves events without their own", () => {
  const event = sampleAgentEvent({ timestamp: timestampFromMs(now - 10_000) });
  const facts = { ...request, sentAt: timestampFromMs(now - 9_000) };
  assertEquals(
    timestampMs(enrichEvent(event, facts, options).enrichment!.correctedTime!),
    now - 1_000,
  );
});

Deno.test("a UTM the client sent is kept", () => {
  const event = sampleWebEvent();
  if (event.context.case === "web") {
    event.context.value.utm = {
      $typeName: "analytics.v1.Utm",
      source: "own",
      medium: "",
      campaign: "",
      term: "",
      content: "",
    };
  }
  enrichEvent(event, request, options);
  assertEquals(event.context.case === "web" && event.context.value.utm?.source, "own");
});

Deno.test("a forwarded client.ip is anonymised in place, or kept when configured", () => {
  const event = sampleAgentEvent({ client: { ip: "2001:db8:abcd:1::99" } });
  enrichEvent(event, request, options);
  assertEquals([event.client?.ip, event.enrichment?.ip], ["2001:db8:abcd::", "2001:db8:abcd::"]);
  const kept = sampleAgentEvent({ client: { ip: "2001:db8:abcd:1::99" } });
  enrichEvent(kept, request, { ...options, storeFullIp: true });
  assertEquals([kept.client?.ip, kept.enrichment?.ip], [
    "2001:db8:abcd:1::99",
    "2001:db8:abcd:1::99",
  ]);
});

Deno.test("a web event without client.user_agent gets the request's header parsed", () => {
  const facts = { ...request, userAgent: "Mozilla/5.0 (compatible; bingbot/2.0)" };
  assertEquals(enrichEvent(sampleWebEvent({ client: {} }), facts, options).enrichment?.isBot, true);
  const agent = enrichEvent(sampleAgentEvent(), facts, options).enrichment;
  assertEquals([agent?.isBot, agent?.userAgent], [false, undefined], "not for other channels");
});

Deno.test("property: enriched load-generator events still pass validation", () => {
  const source = createEventSource({ seed: 11 });
  for (let i = 0; i < 1000; i++) {
    const event = enrichEvent(source.next(), request, options);
    assertEquals(validateEvent(event, i), null);
    ok(event.enrichment?.correctedTime);
  }
});
