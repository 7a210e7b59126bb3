/**
 * Validation of events: the schema's protovalidate rules plus the checks that depend on
 * configuration and the sender's key. One event's verdict never affects another's.
 *
 * @module
 */
export {
  createEventValidator,
  type EventRules,
  type EventValidator,
  type EventViolation,
  validateEvent,
} from "./validate_event.ts";
export { CHANNEL_NAMES, channelFromName, channelName } from "./channel_names.ts";
