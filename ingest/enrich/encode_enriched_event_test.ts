// The encoding shortcut of the ingest: when enrichment reports no client field changed, the
// client's bytes plus the appended enrichment are exactly the enriched event's encoding; when it
// reports a change, the client's bytes are indeed stale.
import assert from "node:assert/strict";
import fc from "fast-check";
import { clone, create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ClientContextSchema, EventSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { appendEnrichment } from "./encode_enriched_event.ts";
import { enrichEventInPlace } from "./enrich_event.ts";
import { createUserAgentParser } from "./user_agent.ts";

const parseUserAgent = createUserAgentParser();

Deno.test("property: client bytes + enrichment encode the enriched event, or a change is reported", () => {
  const source = createEventSource({ seed: 11 });
  const events = source.batch(400);
  const clientIps = ["", "203.0.113.77", "2001:db8::1", "not an ip", "10.0.0.1"];
  const urls = ["", "https://shop.example/p?utm_source=news&utm_medium=mail", "https://a.example/"];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: events.length - 1 }),
      fc.constantFrom(...clientIps),
      fc.constantFrom(...urls),
      fc.boolean(),
      fc.option(fc.constantFrom("198.51.100.4", "2001:db8::9"), { nil: undefined }),
      (index, clientIp, url, storeFullIp, remoteAddress) => {
        const event = clone(EventSchema, events[index]);
        event.enrichment = undefined;
        if (clientIp !== "") {
          event.client ??= create(ClientContextSchema);
          event.client.ip = clientIp;
        }
        if (event.context.case === "web" && url !== "") {
          event.context.value.url = url;
          event.context.value.utm = undefined;
        }
        const clientBytes = toBinary(EventSchema, event);
        const { clientFieldsChanged } = enrichEventInPlace(event, {
          receivedAt: timestampFromMs(1_790_000_000_000),
          source: "test",
          remoteAddress,
          traceId: "0af7651916cd43dd8448eb211c80319c",
        }, { storeFullIp, parseUserAgent });
        const whole = toBinary(EventSchema, event);
        if (clientFieldsChanged) {
          const withoutEnrichment = toBinary(EventSchema, { ...event, enrichment: undefined });
          assert.notDeepEqual(withoutEnrichment, clientBytes);
        } else {
          assert.deepEqual(appendEnrichment(clientBytes, event.enrichment!), whole);
        }
        assert.ok(equals(EventSchema, fromBinary(EventSchema, whole), event));
      },
    ),
    { numRuns: 1500 },
  );
});
