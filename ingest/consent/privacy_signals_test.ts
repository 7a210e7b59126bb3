import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { sampleWebEvent } from "../validate/testdata/sample_events.ts";
import { eventPrivacySignals, NO_SIGNALS, requestPrivacySignals } from "./privacy_signals.ts";

Deno.test("Sec-GPC: 1 and DNT: 1 are signals; other values are not", () => {
  assertEquals(requestPrivacySignals(new Headers({ "Sec-GPC": "1", DNT: "1" })), {
    gpc: true,
    dnt: true,
  });
  assertEquals(requestPrivacySignals(new Headers({ "sec-gpc": " 1 " })), { gpc: true, dnt: false });
  const cases: Record<string, string>[] = [{}, { DNT: "0" }, { "Sec-GPC": "0" }, {
    "Sec-GPC": "true",
    DNT: "yes",
  }];
  for (const headers of cases) {
    assertEquals(requestPrivacySignals(new Headers(headers)), NO_SIGNALS, JSON.stringify(headers));
  }
});

Deno.test("an event's own signals add to the request's", () => {
  const plain = sampleWebEvent();
  assertEquals(eventPrivacySignals(plain, NO_SIGNALS), NO_SIGNALS);
  assertEquals(eventPrivacySignals(plain, { gpc: true, dnt: false }), { gpc: true, dnt: false });
  const forwarded = sampleWebEvent({ client: { globalPrivacyControl: true } });
  assertEquals(eventPrivacySignals(forwarded, NO_SIGNALS), { gpc: true, dnt: false });
  const dnt = sampleWebEvent({ client: { doNotTrack: true } });
  assertEquals(eventPrivacySignals(dnt, { gpc: true, dnt: false }), { gpc: true, dnt: true });
  assertEquals(eventPrivacySignals(sampleWebEvent({ client: undefined }), NO_SIGNALS), NO_SIGNALS);
});
