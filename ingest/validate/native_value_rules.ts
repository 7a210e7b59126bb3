/**
 * Native checks of the buf.validate rules on one value (a string, number, enum, timestamp,
 * Struct), compiled once from the rules messages. Each check answers only "certainly valid"
 * (true) or "not sure" (false): anything false goes to protovalidate, which writes the
 * violation. A rule not implemented here is reported by name and makes its check always false.
 *
 * @module
 */
import { type DescEnum, type DescMessage, isFieldSet, type MessageShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import {
  EnumRulesSchema,
  type Rule,
  StringRulesSchema,
  TimestampRulesSchema,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { reflect } from "@bufbuild/protobuf/reflect";
import { isIpAddress } from "./ip_address.ts";
import { regExpForRe2Pattern } from "./re2_pattern.ts";

/** "Certainly valid" for one value at time `nowMs` (ms since the epoch). */
export type ValueCheck = (value: unknown, nowMs: number) => boolean;

/** Receives the name of a rule the checker does not implement, e.g. "string.email". */
export type ReportUnsupported = (rule: string) => void;

/** The check of a rule that is not implemented: never sure. */
export const NEVER_SURE: ValueCheck = () => false;
const isNumber: ValueCheck = (v) => typeof v === "number";

/** protovalidate's `string.uuid` pattern (its native rules use this very RegExp). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** CEL's timestamp range, 0001-01-01 .. 9999-12-31T23:59:59Z; outside it protovalidate decides. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/** The field names (as in the .proto) set in a rules message, e.g. ["min_len", "max_len"]. */
export function setRuleNames<Desc extends DescMessage>(
  schema: Desc,
  rules: MessageShape<Desc>,
): string[] {
  const names = schema.fields.filter((f) => isFieldSet(rules, f)).map((f) => f.name);
  if ((rules.$unknown?.length ?? 0) > 0) names.push("(predefined rule extension)");
  return names;
}

/** Number of Unicode code points, as protovalidate counts them (a lone surrogate is one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Checks of `string` rules: lengths in code points, `pattern`, `uuid`, `ip`. */
export function compileStringRules(
  rules: MessageShape<typeof StringRulesSchema>,
  report: ReportUnsupported,
): ValueCheck[] {
  const checks: ValueCheck[] = [];
  let supported = true;
  let min = 0, max = Infinity;
  for (const name of setRuleNames(StringRulesSchema, rules)) {
    if (name === "max_len") {
      max = Number(rules.maxLen);
    } else if (name === "min_len") {
      min = Number(rules.minLen);
    } else if (name === "len") {
      const len = Number(rules.len);
      checks.push((v) => codePointLength(v as string) === len);
    } else if (name === "pattern") {
      const re = regExpForRe2Pattern(rules.pattern);
      if (re === undefined) {
        report(`string.pattern ${JSON.stringify(rules.pattern)}`);
        supported = false;
      } else checks.push((v) => (v as string).isWellFormed() && re.test(v as string));
    } else if (name === "uuid" && rules.wellKnown.value === true) {
      checks.push((v) => UUID.test(v as string));
    } else if (name === "ip" && rules.wellKnown.value === true) {
      checks.push((v) => isIpAddress(v as string));
    } else if (name !== "example") {
      report(`string.${name}`);
      supported = false;
    }
  }
  // The type and the lengths in one check, the one most fields have. A string of at most `max`
  // UTF-16 units has at most `max` code points, one of at least 2 × `min` units at least `min`:
  // code points are counted only near a bound.
  const lengths: ValueCheck = (v) =>
    typeof v === "string" && (v.length <= max || codePointLength(v) <= max) &&
    (v.length >= 2 * min || codePointLength(v) >= min);
  return supported ? [lengths, ...checks] : [NEVER_SURE];
}

/**
 * Checks of the numeric rules `lt`, `lte`, `gt`, `gte` (and `finite` for float and double).
 * `value` must have the rule values' JS type (number, or bigint for 64-bit integers). NaN fails
 * every comparison, so it is never vouched for.
 */
export function compileNumericRules<Desc extends DescMessage>(
  kind: string,
  schema: Desc,
  rules: MessageShape<Desc>,
  report: ReportUnsupported,
): ValueCheck[] {
  const checks: ValueCheck[] = [];
  let supported = true;
  const floating = kind === "float" || kind === "double";
  let jsType: string | undefined = floating ? "number" : undefined;
  const values = reflect(schema, rules);
  for (const field of schema.fields) {
    if (!isFieldSet(rules, field) || field.name === "example") continue;
    const bound = values.get(field) as number | bigint;
    if (["lt", "lte", "gt", "gte"].includes(field.name)) jsType = typeof bound;
    if (field.name === "lt") checks.push((v) => (v as number) < bound);
    else if (field.name === "lte") checks.push((v) => (v as number) <= bound);
    else if (field.name === "gt") checks.push((v) => (v as number) > bound);
    else if (field.name === "gte") checks.push((v) => (v as number) >= bound);
    else if (
      field.name === "finite" && bound && floating
    ) checks.push((v) => Number.isFinite(v));
    else {
      report(`${kind}.${field.name}`);
      supported = false;
    }
  }
  if ((rules.$unknown?.length ?? 0) > 0) {
    report(`${kind}.(predefined rule extension)`);
    supported = false;
  }
  if (!supported) return [NEVER_SURE];
  if (jsType === undefined) return checks;
  return [jsType === "bigint" ? (v) => typeof v === "bigint" : isNumber, ...checks];
}

/** Checks of `enum` rules: `defined_only`, `in`, `not_in`. */
export function compileEnumRules(
  rules: MessageShape<typeof EnumRulesSchema>,
  enumDesc: DescEnum,
  report: ReportUnsupported,
): ValueCheck[] {
  const checks: ValueCheck[] = [];
  let supported = true;
  for (const name of setRuleNames(EnumRulesSchema, rules)) {
    if (name === "defined_only" && rules.definedOnly) {
      const defined = new Set(enumDesc.values.map((v) => v.number));
      checks.push((v) => defined.has(v as number));
    } else if (name === "in") {
      const allowed = new Set(rules.in);
      checks.push((v) => allowed.has(v as number));
    } else if (name === "not_in") {
      const refused = new Set(rules.notIn);
      checks.push((v) => !refused.has(v as number));
    } else if (name !== "example") {
      report(`enum.${name}`);
      supported = false;
    }
  }
  return supported ? [isNumber, ...checks] : [NEVER_SURE];
}

/** Whether `v` is a Timestamp protovalidate can compare: nanos 0-999 999 999, years 1-9999. */
function isOrdinaryTimestamp(v: unknown): v is Timestamp {
  if (typeof v !== "object" || v === null) return false;
  const { $typeName, seconds, nanos } = v as Timestamp;
  return $typeName === "google.protobuf.Timestamp" && typeof seconds === "bigint" &&
    seconds >= MIN_SECONDS && seconds <= MAX_SECONDS && Number.isInteger(nanos) && nanos >= 0 &&
    nanos <= 999_999_999;
}

/** -1, 0 or 1 as `t` is before, at or after `seconds`.`nanos` (exact: seconds are < 2^53). */
function compareTimestamp(t: Timestamp, seconds: number, nanos: number): number {
  const s = Number(t.seconds);
  if (s !== seconds) return s < seconds ? -1 : 1;
  return t.nanos === nanos ? 0 : t.nanos < nanos ? -1 : 1;
}

/** Checks of `timestamp` rules: `lt`, `lte`, `gt`, `gte` against fixed times. */
export function compileTimestampRules(
  rules: MessageShape<typeof TimestampRulesSchema>,
  report: ReportUnsupported,
): ValueCheck[] {
  const checks: ValueCheck[] = [];
  let supported = true;
  for (const name of setRuleNames(TimestampRulesSchema, rules)) {
    const limit = (name === "lt" || name === "lte" ? rules.lessThan : rules.greaterThan)
      .value as Timestamp | undefined;
    const seconds = Number(limit?.seconds ?? 0n), nanos = limit?.nanos ?? 0;
    const compare = (v: unknown) => compareTimestamp(v as Timestamp, seconds, nanos);
    if (name === "lt") checks.push((v) => compare(v) < 0);
    else if (name === "lte") checks.push((v) => compare(v) <= 0);
    else if (name === "gt") checks.push((v) => compare(v) > 0);
    else if (name === "gte") checks.push((v) => compare(v) >= 0);
    else if (name !== "example") {
      report(`timestamp.${name}`);
      supported = false;
    }
  }
  return supported ? [isOrdinaryTimestamp, ...checks] : [NEVER_SURE];
}

/** `this <= now + duration('<n>s')` on a Timestamp: at most n seconds after now. */
const NOT_AFTER_NOW_PLUS = /^this <= now \+ duration\('(\d{1,9})s'\)$/;
/** `size(this) <= <n>` on a Struct: at most n top-level keys. */
const AT_MOST_KEYS = /^size\(this\) <= (\d{1,9})$/;

/**
 * The schema's CEL rules this checker knows, by id. A rule counts as known only when its
 * expression still has the form checked here, so a rewritten expression under an old id is
 * reported as unsupported rather than checked wrongly.
 */
export function compileCelRule(
  rule: Rule,
  valueType: DescMessage | undefined,
  report: ReportUnsupported,
): ValueCheck {
  const typeName = valueType?.typeName;
  const ahead = NOT_AFTER_NOW_PLUS.exec(rule.expression);
  if (
    rule.id === "timestamp.not_future" && ahead && typeName === "google.protobuf.Timestamp"
  ) {
    const aheadSeconds = Number(ahead[1]);
    // CEL's `now` is Date.now() as a Timestamp; compare seconds, then nanos, exactly.
    return (v, nowMs) => {
      if (!isOrdinaryTimestamp(v)) return false;
      const nowSeconds = Math.floor(nowMs / 1000);
      const nowNanos = (nowMs - nowSeconds * 1000) * 1_000_000;
      return compareTimestamp(v, nowSeconds + aheadSeconds, nowNanos) <= 0;
    };
  }
  const keys = AT_MOST_KEYS.exec(rule.expression);
  if (rule.id === "properties.max_keys" && keys && typeName === "google.protobuf.Struct") {
    const max = Number(keys[1]);
    // protobuf-es holds a Struct field as a plain JSON object; anything else is left to
    // protovalidate (an object with a "$typeName" key included, as it could be a Struct message).
    return (v) =>
      typeof v === "object" && v !== null && !Array.isArray(v) && !("$typeName" in v) &&
      Object.keys(v).length <= max;
  }
  report(`cel ${JSON.stringify(rule.id)}: ${rule.expression}`);
  return NEVER_SURE;
}
