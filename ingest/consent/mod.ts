/**
 * Consent: what Global Privacy Control and Do Not Track signals do to an event (docs/consent.md).
 *
 * @module
 */
export {
  eventPrivacySignals,
  NO_SIGNALS,
  type PrivacySignals,
  requestPrivacySignals,
} from "./privacy_signals.ts";
export { type ConsentDecision, consentDecision, droppedReason } from "./consent_policy.ts";
export {
  anonymizeEvent,
  DERIVED_ANONYMOUS_ID_PREFIX,
  derivedAnonymousId,
} from "./anonymize_event.ts";
