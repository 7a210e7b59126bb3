import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import type { ConsentPolicy } from "../config.ts";
import { consentDecision, droppedReason } from "./consent_policy.ts";

const POLICIES: ConsentPolicy[] = ["drop", "anonymize", "ignore"];

Deno.test("no signal keeps the event whatever the policy", () => {
  for (const gpc of POLICIES) {
    for (const dnt of POLICIES) {
      assertEquals(consentDecision({ gpc: false, dnt: false }, { gpc, dnt }), { action: "keep" });
    }
  }
});

Deno.test("each signal applies its own policy", () => {
  const policy = { gpc: "drop", dnt: "anonymize" } as const;
  assertEquals(consentDecision({ gpc: true, dnt: false }, policy), {
    action: "drop",
    signal: "gpc",
  });
  assertEquals(consentDecision({ gpc: false, dnt: true }, policy), {
    action: "anonymize",
    signal: "dnt",
  });
  assertEquals(consentDecision({ gpc: false, dnt: true }, { gpc: "drop", dnt: "ignore" }), {
    action: "keep",
  });
});

Deno.test("with both signals the stricter policy wins, GPC on a tie", () => {
  const table: [ConsentPolicy, ConsentPolicy, string][] = [
    ["drop", "anonymize", "drop/gpc"],
    ["anonymize", "drop", "drop/dnt"],
    ["ignore", "anonymize", "anonymize/dnt"],
    ["anonymize", "ignore", "anonymize/gpc"],
    ["anonymize", "anonymize", "anonymize/gpc"],
    ["drop", "drop", "drop/gpc"],
    ["ignore", "ignore", "keep/-"],
  ];
  for (const [gpc, dnt, expected] of table) {
    const decision = consentDecision({ gpc: true, dnt: true }, { gpc, dnt });
    const signal = "signal" in decision ? decision.signal : "-";
    assertEquals(`${decision.action}/${signal}`, expected, `${gpc} ${dnt}`);
  }
});

Deno.test("the drop reason names the signal and tells the client not to resend", () => {
  match(droppedReason("gpc"), /Global Privacy Control.*do not send it again/);
  match(droppedReason("dnt"), /Do Not Track/);
});
