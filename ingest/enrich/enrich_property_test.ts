// Property tests of enrichment (fast-check): the skew correction's bounds, monotonicity and
// identity; IP anonymisation, UTM and user-agent parsing never throw on any input and give
// canonical, idempotent results; enrichment never turns a valid event into an invalid one.
import assert from "node:assert/strict";
import fc from "fast-check";
import { clone, create } from "@bufbuild/protobuf";
import { ClientContextSchema, EventSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { validateEvent } from "../validate/validate_event.ts";
import { enrichEvent } from "./enrich_event.ts";
import { fromNanos, MAX_QUEUE_DELAY_MS, skewCorrectedTime, toNanos } from "./event_time.ts";
import { anonymiseIp, normaliseIp, parseIp } from "./ip.ts";
import { createUserAgentParser } from "./user_agent.ts";
import { utmFromUrl } from "./utm.ts";

const MAX_WAIT_NS = BigInt(MAX_QUEUE_DELAY_MS) * 1_000_000n;
/** Nanoseconds between 1970 and 2100. */
const instant = fc.bigInt({ min: 0n, max: 4_102_444_800n * 1_000_000_000n });
/** A wait within the plausible window (up to 30 days). */
const wait = fc.bigInt({ min: 0n, max: MAX_WAIT_NS });

Deno.test("property: skew correction is exact, bounded and identity without a wait", () => {
  fc.assert(
    fc.property(instant, wait, instant, (t, w, r) => {
      const timestamp = fromNanos(t);
      const receivedAt = fromNanos(r);
      const corrected = skewCorrectedTime(timestamp, fromNanos(t + w), receivedAt);
      assert.ok(corrected.nanos >= 0 && corrected.nanos < 1e9);
      // received_at - wait: never after the receive time, never more than the window before it.
      assert.equal(toNanos(corrected), r - w);
      // sent_at == timestamp: no wait, the event happened when it arrived.
      assert.deepEqual(skewCorrectedTime(timestamp, timestamp, receivedAt), receivedAt);
      // No sent_at: the client's timestamp is kept as it is.
      assert.deepEqual(skewCorrectedTime(timestamp, undefined, receivedAt), timestamp);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: skew correction is monotonic in the event time and the receive time", () => {
  fc.assert(
    fc.property(instant, wait, wait, instant, instant, (sent, w1, w2, r1, r2) => {
      // Two events sent together: the older one (longer wait) is never corrected to later.
      const [shorter, longer] = w1 <= w2 ? [w1, w2] : [w2, w1];
      const sentAt = fromNanos(sent + MAX_WAIT_NS);
      const at = (w: bigint, r: bigint) =>
        toNanos(skewCorrectedTime(fromNanos(sent + MAX_WAIT_NS - w), sentAt, fromNanos(r)));
      assert.ok(at(longer, r1) <= at(shorter, r1));
      // The same event received later is corrected to later.
      const [early, late] = r1 <= r2 ? [r1, r2] : [r2, r1];
      assert.ok(at(w1, early) <= at(w1, late));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: a negative or implausible wait falls back as documented", () => {
  fc.assert(
    fc.property(instant, fc.bigInt({ min: 1n, max: 10n ** 18n }), instant, (t, d, r) => {
      const timestamp = fromNanos(t);
      const receivedAt = fromNanos(r);
      // sent_at before the timestamp: counts as no wait.
      assert.deepEqual(skewCorrectedTime(timestamp, fromNanos(t - d), receivedAt), receivedAt);
      // A wait past the window (a sent_at from another clock): the timestamp is kept.
      const beyond = fromNanos(t + MAX_WAIT_NS + d);
      assert.deepEqual(skewCorrectedTime(timestamp, beyond, receivedAt), timestamp);
    }),
    { numRuns: 1000 },
  );
});

const anyIpText = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.ipV4().map((v4) => `::ffff:${v4}`),
  fc.ipV6().map((v6) => `[${v6}]`),
  fc.string({ maxLength: 45 }),
  fc.stringMatching(/^[0-9a-fA-F:.%\][]{0,45}$/),
);

Deno.test("property: IP anonymisation never throws; results are canonical and idempotent", () => {
  fc.assert(
    fc.property(anyIpText, (text) => {
      const anonymised = anonymiseIp(text);
      const normalised = normaliseIp(text);
      assert.equal(anonymised === undefined, normalised === undefined);
      if (anonymised === undefined) return;
      assert.equal(normaliseIp(anonymised), anonymised, "canonical");
      assert.equal(anonymiseIp(anonymised), anonymised, "idempotent");
      assert.equal(normaliseIp(normalised!), normalised);
      const ip = parseIp(text)!, anon = parseIp(anonymised)!;
      assert.equal(anon.version, ip.version);
      if (ip.version === 4 && anon.version === 4) {
        assert.deepEqual(anon.octets, [...ip.octets.slice(0, 3), 0]);
      } else if (ip.version === 6 && anon.version === 6) {
        assert.deepEqual(anon.hextets, [...ip.hextets.slice(0, 3), 0, 0, 0, 0, 0]);
      }
    }),
    { numRuns: 3000 },
  );
});

const utmValue = fc.string({ unit: "grapheme", maxLength: 300 });

Deno.test("property: UTM parsing never throws and gives back what the URL carries", () => {
  fc.assert(
    fc.property(
      fc.webUrl(),
      fc.record({ source: utmValue, medium: utmValue, campaign: utmValue }, {
        requiredKeys: [],
      }),
      fc.string(),
      (base, values, garbage) => {
        assert.doesNotThrow(() => utmFromUrl(garbage));
        assert.doesNotThrow(() => utmFromUrl(`${garbage}utm_source=${garbage}`));
        const url = new URL(base);
        url.search = "";
        for (const [key, value] of Object.entries(values)) {
          url.searchParams.set(`utm_${key}`, value);
        }
        const utm = utmFromUrl(url.href);
        const expected = Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, [...v.trim()].slice(0, 256).join("")]),
        );
        if (Object.values(expected).every((v) => v === "")) {
          assert.equal(utm, undefined);
          return;
        }
        for (const key of ["source", "medium", "campaign"] as const) {
          assert.equal(utm?.[key], expected[key] ?? "");
        }
      },
    ),
    { numRuns: 1000 },
  );
});

const userAgentText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 1024 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.tuple(fc.constantFrom("Mozilla/5.0 (", "Opera/9.80 (", "curl/"), fc.string()).map(
    ([head, tail]) => head + tail,
  ),
);

Deno.test("property: enrichment never throws and never makes a valid event invalid", () => {
  const pool = createEventSource({ seed: 11 }).batch(500);
  const parseUserAgent = createUserAgentParser();
  let checked = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: pool.length - 1 }),
      userAgentText,
      fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: undefined }),
      fc.option(fc.webUrl({ withQueryParameters: true }), { nil: undefined }),
      fc.option(utmValue, { nil: undefined }),
      fc.boolean(),
      (i, ua, ip, url, campaign, storeFullIp) => {
        const event = clone(EventSchema, pool[i]);
        event.client ??= create(ClientContextSchema);
        event.client.userAgent = ua.slice(0, 1024);
        event.client.ip = ip ?? "";
        if (url !== undefined && event.context.case === "web") {
          const page = new URL(url);
          if (campaign !== undefined) page.searchParams.set("utm_campaign", campaign);
          event.context.value.url = page.href.slice(0, 2048);
          event.context.value.utm = undefined;
        }
        if (validateEvent(event, 0) !== null) return; // the input itself must be valid
        const enriched = enrichEvent(event, {
          receivedAt: event.timestamp!,
          source: "prop",
          remoteAddress: ip,
        }, { storeFullIp, parseUserAgent });
        assert.equal(validateEvent(enriched, 0), null);
        checked++;
        if (ip !== undefined && !storeFullIp) {
          assert.equal(enriched.enrichment?.ip, anonymiseIp(ip));
        }
      },
    ),
    { numRuns: 500 },
  );
  assert.ok(checked > 250, `only ${checked} of 500 inputs were valid events`);
});
