import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Validator } from "@bufbuild/protovalidate";
import { Channel, type Event, EventSchema } from "@analytics/schema";
import { channelName } from "./channel_names.ts";
import { malformedTimestampField } from "./timestamp_validity.ts";
import { compileNativeChecker } from "./native_checker.ts";

/** Why an event is rejected: the path of the offending field and a reason a person can act on. */
export interface EventViolation {
  /** Field path from the request, e.g. `events[3].web.url`. */
  field: string;
  reason: string;
}

/** Checks beyond the schema's rules that depend on the sender's key. */
export interface EventRules {
  /** Channels the sender's key may send; all when undefined. */
  allowedChannels?: ReadonlySet<Channel> | "all";
}

/** Which channel each typed context belongs to; SERVER and CUSTOM events may carry any. */
const CONTEXT_CHANNEL: Record<string, Channel> = {
  web: Channel.WEB,
  mobile: Channel.MOBILE,
  chat: Channel.CHAT,
  speech: Channel.SPEECH,
  agent: Channel.AGENT,
};

/** A function checking one event against the schema's rules and `rules`. */
export type EventValidator = (event: Event, index: number, rules?: EventRules) =>
  | EventViolation
  | null;

/**
 * Makes an event validator. The protovalidate validator is created once here and compiles each
 * message type's rules on first use, so make one per program (or use `validateEvent`). The
 * native checker (`native_checker.ts`, on by default) vouches for the events that certainly
 * pass the schema's rules; every other event is validated by protovalidate, which writes the
 * violation, so verdicts are the same either way.
 */
export function createEventValidator(
  validator: Validator = createValidator(),
  options: { nativeCheck?: boolean } = {},
): EventValidator {
  const native = (options.nativeCheck ?? true) ? compileNativeChecker(EventSchema) : undefined;
  return (event, index, rules = {}) => {
    const at = (path: string) => path === "" ? `events[${index}]` : `events[${index}].${path}`;
    const malformed = malformedTimestampField(event);
    if (malformed !== undefined) {
      return {
        field: at(malformed),
        reason: "not a valid timestamp: nanos must be 0-999999999 and the time within years 1-9999",
      };
    }
    const result = native?.certainlyValid(event)
      ? { kind: "valid" as const }
      : validator.validate(EventSchema, event);
    if (result.kind === "error") {
      // A rule that cannot be evaluated is a bug on our side, not the client's: say so.
      throw new Error(`validating events[${index}] failed: ${result.error.message}`, {
        cause: result.error,
      });
    }
    if (result.kind === "invalid") {
      const [first, ...others] = result.violations;
      const more = others.length === 0
        ? ""
        : ` (and ${others.length} more: ${others.map((v) => pathToString(v.field)).join(", ")})`;
      return { field: at(pathToString(first.field)), reason: first.message + more };
    }
    if (event.channel === Channel.CUSTOM && event.customChannel.trim() === "") {
      return { field: at("custom_channel"), reason: "is required when channel is CHANNEL_CUSTOM" };
    }
    const contextCase = event.context.case;
    if (
      contextCase !== undefined && event.channel !== Channel.SERVER &&
      event.channel !== Channel.CUSTOM && CONTEXT_CHANNEL[contextCase] !== event.channel
    ) {
      return {
        field: at(contextCase),
        reason: `a ${contextCase} context does not belong on channel ${channelName(event.channel)}`,
      };
    }
    const allowed = rules.allowedChannels;
    if (allowed !== undefined && allowed !== "all" && !allowed.has(event.channel)) {
      return {
        field: at("channel"),
        reason: `the write key may not send channel ${channelName(event.channel)} (allowed: ${
          [...allowed].map(channelName).join(", ")
        })`,
      };
    }
    return null;
  };
}

let sharedValidator: EventValidator | undefined;

/**
 * Checks one event: the schema's protovalidate rules, then what they cannot express (a custom
 * channel's name, a context matching its channel, the key's channels). The encoded size is the
 * batch pipeline's check (`event_size.ts`), on the bytes it then publishes.
 * Returns null when valid, else the first violation with its field path under `events[index]`.
 */
export function validateEvent(
  event: Event,
  index: number,
  rules: EventRules = {},
): EventViolation | null {
  sharedValidator ??= createEventValidator();
  return sharedValidator(event, index, rules);
}
