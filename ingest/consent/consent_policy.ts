import type { ConsentConfig, ConsentPolicy } from "../config.ts";
import type { PrivacySignals } from "./privacy_signals.ts";

/** What happens to one event: kept as sent, kept anonymised, or dropped; and which signal decided. */
export type ConsentDecision =
  | { action: "keep" }
  | { action: "anonymize" | "drop"; signal: "gpc" | "dnt" };

const STRICTNESS: Record<ConsentPolicy, number> = { ignore: 0, anonymize: 1, drop: 2 };

/**
 * The decision for an event with `signals` under `policy`: each present signal's policy applies,
 * and when both are present the stricter one wins (drop over anonymize over ignore; GPC on a tie).
 */
export function consentDecision(signals: PrivacySignals, policy: ConsentConfig): ConsentDecision {
  let chosen: { policy: ConsentPolicy; signal: "gpc" | "dnt" } | undefined;
  if (signals.gpc) chosen = { policy: policy.gpc, signal: "gpc" };
  if (signals.dnt && STRICTNESS[policy.dnt] > STRICTNESS[chosen?.policy ?? "ignore"]) {
    chosen = { policy: policy.dnt, signal: "dnt" };
  }
  if (chosen === undefined || chosen.policy === "ignore") return { action: "keep" };
  return { action: chosen.policy, signal: chosen.signal };
}

/**
 * The reason given with a dropped event's ACCEPTED outcome: the event was taken care of (the
 * client must not send it again) and deliberately not stored.
 */
export function droppedReason(signal: "gpc" | "dnt"): string {
  const name = signal === "gpc" ? "Global Privacy Control" : "Do Not Track";
  return `not stored: the ${name} signal asks not to be tracked (consent policy drop); ` +
    "do not send it again";
}
