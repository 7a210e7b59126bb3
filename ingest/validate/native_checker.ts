/**
 * A native "certainly valid" check of a message against its buf.validate rules, compiled once
 * from the descriptors' options. protovalidate stays the authority: this checker never rejects
 * or explains anything, it only lets the common, valid event skip protovalidate (whose compiled
 * plan, CEL `now` and per-violation `ValidationError` cost tens of µs an event). On any doubt,
 * a failed rule, a value outside the ordinary range, or a rule kind not implemented here, it
 * answers false and protovalidate validates the whole message as before.
 *
 * Field semantics follow protovalidate: rules of a field with presence (message, `optional`,
 * oneof member) apply only when it is set, those of an implicit-presence field always, unless
 * `ignore = IGNORE_IF_ZERO_VALUE`; `required` needs the field set (non-zero); set message fields,
 * oneof members, list elements and map values are checked recursively.
 *
 * @module
 */
import {
  type DescField,
  type DescMessage,
  getOption,
  hasOption,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import {
  DoubleRulesSchema,
  field as fieldRulesOption,
  type FieldRules,
  FieldRulesSchema,
  Fixed32RulesSchema,
  Fixed64RulesSchema,
  FloatRulesSchema,
  Ignore,
  Int32RulesSchema,
  Int64RulesSchema,
  MapRulesSchema,
  message as messageRulesOption,
  oneof as oneofRulesOption,
  SFixed32RulesSchema,
  SFixed64RulesSchema,
  SInt32RulesSchema,
  SInt64RulesSchema,
  UInt32RulesSchema,
  UInt64RulesSchema,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import {
  allOf,
  compileCelRule,
  compileEnumRules,
  compileNumericRules,
  compileStringRules,
  compileTimestampRules,
  type ReportUnsupported,
  setRuleNames,
  type ValueCheck,
} from "./native_value_rules.ts";

/** A compiled native check of one message type. */
export interface NativeChecker<T> {
  /** True only when protovalidate would accept `message` (at time `nowMs`); false when unsure. */
  certainlyValid(message: T, nowMs?: number): boolean;
  /**
   * The schema's rules this checker does not implement, as "type.field: rule"; a message where
   * one applies is never vouched for, so each entry sends messages to the slow path.
   */
  readonly unsupported: readonly string[];
}

/** What a field's value is, for its rules: a scalar, an enum or a message. */
type ValueKind =
  | { kind: "scalar" }
  | { kind: "enum"; desc: NonNullable<DescField["enum"]> }
  | { kind: "message"; desc: DescMessage };

/** A message check that may be filled in later (message types can be recursive). */
interface MessageSlot {
  check: (message: unknown, nowMs: number) => boolean;
}

const NUMERIC_RULES = {
  float: FloatRulesSchema,
  double: DoubleRulesSchema,
  int32: Int32RulesSchema,
  int64: Int64RulesSchema,
  uint32: UInt32RulesSchema,
  uint64: UInt64RulesSchema,
  sint32: SInt32RulesSchema,
  sint64: SInt64RulesSchema,
  fixed32: Fixed32RulesSchema,
  fixed64: Fixed64RulesSchema,
  sfixed32: SFixed32RulesSchema,
  sfixed64: SFixed64RulesSchema,
} as const;

/** Compiles the native checker of `schema` and every message type it contains. */
export function compileNativeChecker<Desc extends DescMessage>(
  schema: Desc,
): NativeChecker<MessageShape<Desc>> {
  const unsupported: string[] = [];
  const needed = typesWithRules(schema);
  const slots = new Map<string, MessageSlot>();

  function messageCheck(desc: DescMessage): MessageSlot | undefined {
    if (!needed.has(desc.typeName)) return undefined;
    let slot = slots.get(desc.typeName);
    if (slot !== undefined) return slot;
    slot = { check: () => false };
    slots.set(desc.typeName, slot);
    const report = (rule: string) => unsupported.push(`${desc.typeName}: ${rule}`);
    let supported = true;
    if (hasOption(desc, messageRulesOption)) {
      report("(buf.validate.message) rules");
      supported = false;
    }
    for (const oneof of desc.oneofs) {
      if (hasOption(oneof, oneofRulesOption)) {
        report(`${oneof.name}: (buf.validate.oneof) rules`);
        supported = false;
      }
    }
    const fieldChecks = desc.fields.flatMap((field) => {
      const check = compileField(field, (rule) => report(`${field.name}: ${rule}`));
      return check === undefined ? [] : [check];
    });
    const typeName = desc.typeName;
    const all = allOf(fieldChecks);
    slot.check = !supported
      ? () => false
      : (m, nowMs) => (m as { $typeName?: string }).$typeName === typeName && all(m, nowMs);
    return slot;
  }

  /** The check of one field on its parent message, or undefined when nothing applies. */
  function compileField(field: DescField, report: ReportUnsupported): ValueCheck | undefined {
    const rules = hasOption(field, fieldRulesOption)
      ? getOption(field, fieldRulesOption)
      : undefined;
    const read = fieldReader(field);
    if (field.fieldKind === "list") {
      if (rules !== undefined) report("rules on a repeated field");
      const element = field.listKind === "message" ? messageCheck(field.message) : undefined;
      if (rules === undefined && element === undefined) return undefined;
      if (rules !== undefined || element === undefined) return () => false;
      return (m, nowMs) => (read(m) as unknown[]).every((e) => element.check(e, nowMs));
    }
    if (field.fieldKind === "map") {
      const valueKind: ValueKind = field.mapKind === "message"
        ? { kind: "message", desc: field.message }
        : field.mapKind === "enum"
        ? { kind: "enum", desc: field.enum }
        : { kind: "scalar" };
      const nested = valueKind.kind === "message" ? messageCheck(valueKind.desc) : undefined;
      const mapRules = rules === undefined
        ? undefined
        : compileMapRules(rules, field, valueKind, report);
      if (mapRules === undefined && nested === undefined) return undefined;
      return (m, nowMs) => {
        const map = read(m) as Record<string, unknown>;
        if (mapRules !== undefined && !mapRules(map, nowMs)) return false;
        if (nested !== undefined) {
          for (const key in map) if (!nested.check(map[key], nowMs)) return false;
        }
        return true;
      };
    }
    const valueKind: ValueKind = field.fieldKind === "message"
      ? { kind: "message", desc: field.message }
      : field.fieldKind === "enum"
      ? { kind: "enum", desc: field.enum }
      : { kind: "scalar" };
    const nested = valueKind.kind === "message" ? messageCheck(valueKind.desc) : undefined;
    const hasPresence = field.presence !== FeatureSet_FieldPresence.IMPLICIT;
    const ruleCheck = rules === undefined
      ? undefined
      : compileFieldRules(rules, valueKind, field.scalar, hasPresence, report);
    if (ruleCheck === undefined && nested === undefined) return undefined;
    const populated = populatedTest(field);
    return (m, nowMs) => {
      const value = read(m);
      const isSet = populated(m, value);
      if (ruleCheck !== undefined && !ruleCheck(value, isSet, nowMs)) return false;
      return nested === undefined || !isSet || nested.check(value, nowMs);
    };
  }

  const root = messageCheck(schema);
  return {
    certainlyValid: (message, nowMs = Date.now()) =>
      root === undefined || root.check(message, nowMs),
    unsupported,
  };
}

/** `FieldRules` of one value as a check of (value, populated, now). */
function compileFieldRules(
  rules: FieldRules,
  valueKind: ValueKind,
  scalar: ScalarType | undefined,
  hasPresence: boolean,
  report: ReportUnsupported,
): ((value: unknown, populated: boolean, nowMs: number) => boolean) | undefined {
  let supported = true;
  const unsupportedRule = (rule: string) => {
    report(rule);
    supported = false;
  };
  const names = setRuleNames(FieldRulesSchema, rules);
  if (names.includes("cel_expression")) unsupportedRule("cel_expression");
  if (rules.ignore === Ignore.ALWAYS) unsupportedRule("ignore = IGNORE_ALWAYS");
  const ignoreZero = rules.ignore === Ignore.IF_ZERO_VALUE;
  if (ignoreZero && hasPresence) unsupportedRule("IGNORE_IF_ZERO_VALUE on a field with presence");
  const checks: ValueCheck[] = [];
  const type = rules.type;
  if (type.case === "string") {
    if (scalar === ScalarType.STRING) {
      checks.push(compileStringRules(type.value, unsupportedRule));
    } else unsupportedRule("string rules on a non-string field");
  } else if (type.case === "enum") {
    if (valueKind.kind === "enum") {
      checks.push(compileEnumRules(type.value, valueKind.desc, unsupportedRule));
    } else unsupportedRule("enum rules on a non-enum field");
  } else if (type.case === "timestamp") {
    if (valueKind.kind === "message" && valueKind.desc.typeName === "google.protobuf.Timestamp") {
      checks.push(compileTimestampRules(type.value, unsupportedRule));
    } else unsupportedRule("timestamp rules on a non-Timestamp field");
  } else if (type.case !== undefined && type.case in NUMERIC_RULES) {
    const kind = type.case as keyof typeof NUMERIC_RULES;
    if (scalar === ScalarType[kind.toUpperCase() as keyof typeof ScalarType]) {
      checks.push(
        compileNumericRules(kind, NUMERIC_RULES[kind], type.value as never, unsupportedRule),
      );
    } else unsupportedRule(`${kind} rules on a field of another type`);
  } else if (type.case !== undefined) {
    unsupportedRule(`${type.case} rules`);
  }
  const message = valueKind.kind === "message" ? valueKind.desc : undefined;
  for (const rule of rules.cel) checks.push(compileCelRule(rule, message, unsupportedRule));
  if (!supported) return () => false;
  const required = rules.required;
  const all = allOf(checks);
  return (value, populated, nowMs) => {
    if (!populated) {
      if (required) return false;
      if (hasPresence || ignoreZero) return true;
    }
    return all(value, nowMs);
  };
}

/** `map` rules: `min_pairs`, `max_pairs`, and `keys` / `values` rules on every pair. */
function compileMapRules(
  rules: FieldRules,
  field: DescField & { fieldKind: "map" },
  valueKind: ValueKind,
  report: ReportUnsupported,
): ((map: Record<string, unknown>, nowMs: number) => boolean) | undefined {
  if (rules.type.case !== "map") {
    report(`${rules.type.case ?? "field"} rules on a map`);
    return () => false;
  }
  const mapRules = rules.type.value;
  let supported = true;
  for (const name of setRuleNames(FieldRulesSchema, rules)) {
    if (name !== "map") {
      report(`${name} on a map`);
      supported = false;
    }
  }
  let minPairs = 0, maxPairs = Infinity;
  let keyCheck: ReturnType<typeof compileFieldRules>;
  let valueCheck: ReturnType<typeof compileFieldRules>;
  for (const name of setRuleNames(MapRulesSchema, mapRules)) {
    if (name === "min_pairs") minPairs = Number(mapRules.minPairs);
    else if (name === "max_pairs") maxPairs = Number(mapRules.maxPairs);
    else if (name === "keys") {
      // Map keys of every type are object property names (strings) in protobuf-es.
      const keyScalar = field.mapKey === ScalarType.STRING ? ScalarType.STRING : undefined;
      keyCheck = compileFieldRules(mapRules.keys!, { kind: "scalar" }, keyScalar, false, report);
    } else if (name === "values") {
      const valueScalar = field.mapKind === "scalar" ? field.scalar : undefined;
      valueCheck = compileFieldRules(mapRules.values!, valueKind, valueScalar, false, report);
    } else {
      report(`map.${name}`);
      supported = false;
    }
  }
  if (!supported) return () => false;
  return (map, nowMs) => {
    let pairs = 0;
    for (const key in map) {
      pairs++;
      if (keyCheck !== undefined && !keyCheck(key, key !== "", nowMs)) return false;
      const value = map[key];
      if (valueCheck !== undefined && !valueCheck(value, !isZero(value), nowMs)) return false;
    }
    return pairs >= minPairs && pairs <= maxPairs;
  };
}

/** Reads a field's value from a message object (a oneof member is undefined unless its case). */
function fieldReader(field: DescField): (message: unknown) => unknown {
  const name = field.localName;
  const oneof = field.oneof;
  if (oneof === undefined) return (m) => (m as Record<string, unknown>)[name];
  const group = oneof.localName;
  return (m) => {
    const selected = (m as Record<string, { case?: string; value?: unknown }>)[group];
    return selected?.case === name ? selected.value : undefined;
  };
}

/** Whether a field counts as set: present for fields with presence, non-zero otherwise. */
function populatedTest(field: DescField): (message: unknown, value: unknown) => boolean {
  if (field.presence !== FeatureSet_FieldPresence.IMPLICIT) return (_, v) => v !== undefined;
  return (_, v) => !isZero(v);
}

/** Whether a scalar or enum value is its type's zero value. */
function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === 0n || v === false || v === undefined ||
    (v instanceof Uint8Array && v.length === 0);
}

/** Message types under `schema` (itself included) that have rules or contain one that has. */
function typesWithRules(schema: DescMessage): Set<string> {
  const all = new Map<string, DescMessage>();
  const visit = (desc: DescMessage) => {
    if (all.has(desc.typeName)) return;
    all.set(desc.typeName, desc);
    for (const f of desc.fields) if (f.message !== undefined) visit(f.message);
  };
  visit(schema);
  const needed = new Set<string>();
  for (const desc of all.values()) {
    const own = hasOption(desc, messageRulesOption) ||
      desc.oneofs.some((o) => hasOption(o, oneofRulesOption)) ||
      desc.fields.some((f) => hasOption(f, fieldRulesOption));
    if (own) needed.add(desc.typeName);
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const desc of all.values()) {
      if (needed.has(desc.typeName)) continue;
      if (desc.fields.some((f) => f.message !== undefined && needed.has(f.message.typeName))) {
        needed.add(desc.typeName);
        grew = true;
      }
    }
  }
  return needed;
}
