import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import fc from "fast-check";
import {
  clone,
  create,
  type DescField,
  type DescMessage,
  getOption,
  hasOption,
} from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { createValidator } from "@bufbuild/protovalidate";
import {
  field as fieldRulesOption,
  type FieldRules,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { type Event, EventSchema } from "@analytics/schema";
import { createEventSource } from "../../bench/loadgen/events/mod.ts";
import { compileNativeChecker } from "./native_checker.ts";
import { ipStrings } from "./testdata/ip_strings.ts";
import { createEventValidator } from "./validate_event.ts";

const validator = createValidator();
const checker = compileNativeChecker(EventSchema);
const ingestValidator = createEventValidator(validator);
const protovalidateOnly = createEventValidator(validator, { nativeCheck: false });
const pool = createEventSource({ seed: 31 }).batch(200);
const DAY_MS = 86_400_000;

/** A value for a field, or a whole-object change, applied to an event. */
type Mutation = (event: Event) => void;
type Holder = (event: Event) => Record<string, unknown>;

/** Characters of 1 to 4 UTF-8 bytes, astral ones (2 UTF-16 units) and lone surrogates. */
const CHARS = ["a", "é", "中", "😀", "\ud800", "\udc00", "\n", "0"];

/** Strings of about `min` and `max` code points: 0, 1, min-1, min, max-1, max, max+1. */
function boundaryString(min: number, max: number): fc.Arbitrary<string> {
  const lengths = [0, 1, min - 1, min, max - 1, max, max + 1].filter((n) => n >= 0);
  return fc.tuple(
    fc.constantFrom(...lengths),
    fc.constantFrom(...CHARS),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CHARS)), { maxLength: 4 }),
  ).map(([length, fill, spots]) => {
    const chars: string[] = new Array(length).fill(fill);
    for (const [at, c] of spots) if (length > 0) chars[at % length] = c;
    return chars.join("");
  });
}

const UUID_V7 = "01a221e2-d0b2-715d-84c7-e04b7f740c9c";
const uuids = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    UUID_V7,
    UUID_V7.toUpperCase(),
    "",
    UUID_V7 + "\n",
    "\n" + UUID_V7,
    UUID_V7.replace(/-/g, ""),
    UUID_V7.slice(1),
    UUID_V7 + "0",
    UUID_V7.replace("a", "g"),
    `{${UUID_V7}}`,
    UUID_V7.replace("-", "_"),
    UUID_V7.replace("0", "０"),
  ),
);

/** Strings around a `^[0-9a-f]{n}$` pattern. */
function hexIds(n: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)),
    fc.tuple(fc.constantFrom(n - 1, n, n + 1), fc.constantFrom("a", "0", "F", "g", "😀", "\ud800"))
      .map(([length, c]) => "0".repeat(length - 1) + c),
    fc.constantFrom("0".repeat(n) + "\n", "0".repeat(n).toUpperCase() + "A", " " + "0".repeat(n)),
  );
}

/** Doubles at and around the bounds of `rules`, and the values every range must refuse. */
function boundaryDoubles(bounds: number[]): fc.Arbitrary<number> {
  const near = bounds.flatMap((
    b,
  ) => [
    b,
    b - Math.max(1, Math.abs(b)) * Number.EPSILON,
    b + Math.max(1, Math.abs(b)) * Number.EPSILON,
  ]);
  return fc.oneof(
    fc.constantFrom(
      NaN,
      Infinity,
      -Infinity,
      -0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      ...near,
    ),
    fc.double(),
  );
}

const timestamps = fc.oneof(
  fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS })
    // Never within 5 s of the moving "now + 24 h" edge: the two validators read the clock apart.
    .filter((offset) => Math.abs(offset - DAY_MS) > 5_000)
    .map((offset) => {
      const ms = Date.now() + offset;
      return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
    }),
  fc.record({
    seconds: fc.constantFrom(946_684_799n, 946_684_800n, 946_684_801n, 0n, 4_102_444_800n),
    nanos: fc.constantFrom(0, 1, 999_999_999),
  }),
).map((t) => create(TimestampSchema, t));

/** JSON objects with 0, 1, 255, 256 or 257 keys, "__proto__" among them at times. */
const propertyObjects = fc.tuple(fc.constantFrom(0, 1, 255, 256, 257), fc.boolean()).map(
  ([count, proto]) => {
    const entries: [string, unknown][] = Array.from({ length: count }, (_, i) => [`k${i}`, i]);
    if (proto && count > 0) entries[0] = ["__proto__", "x"];
    return Object.fromEntries(entries);
  },
);

/** The values tried for one field, from the kind of its rules. */
function valuesFor(field: DescField, rules: FieldRules): fc.Arbitrary<unknown> | undefined {
  const type = rules.type;
  if (type.case === "string") {
    const r = type.value;
    if (r.wellKnown.case === "uuid") return uuids;
    if (r.wellKnown.case === "ip") return ipStrings;
    if (r.pattern !== "") return hexIds(Number(/\{(\d+)\}/.exec(r.pattern)![1]));
    return boundaryString(Number(r.minLen), Number(r.maxLen));
  }
  if (type.case === "double") {
    const r = type.value;
    const bounds = [r.lessThan.value, r.greaterThan.value].filter((b) => b !== undefined);
    return boundaryDoubles(bounds as number[]);
  }
  if (type.case === "uint32") {
    const lte = type.value.lessThan.value as number;
    return fc.constantFrom(0, 1, lte - 1, lte, lte + 1, 4_294_967_295);
  }
  if (type.case === "uint64") {
    const lte = type.value.lessThan.value as bigint;
    return fc.constantFrom(0n, lte, lte + 1n, 2n ** 64n - 1n);
  }
  if (type.case === "enum" && field.fieldKind === "enum") {
    const numbers = field.enum.values.map((v) => v.number);
    return fc.constantFrom(-1, Math.max(...numbers) + 1, 99, ...numbers);
  }
  if (type.case === "map") {
    const keys = type.value.keys?.type.value as { maxLen: bigint };
    const values = type.value.values?.type.value as { maxLen: bigint };
    const pair = fc.tuple(
      boundaryString(0, Number(keys.maxLen)),
      boundaryString(0, Number(values.maxLen)),
    );
    return fc.tuple(fc.constantFrom(0, 1, 64, 65), fc.array(pair, { maxLength: 3 })).map(
      ([count, edges]) => {
        const map: Record<string, string> = {};
        for (let i = 0; i < count; i++) map[`slot${i}`] = "v";
        for (const [k, v] of edges) map[k] = v;
        return map;
      },
    );
  }
  if (field.name === "timestamp") return fc.option(timestamps, { freq: 8 });
  if (field.name === "properties") return fc.option(propertyObjects, { freq: 8 });
  return undefined;
}

/** One field with rules, and mutations setting it to the values tried for it. */
interface Target {
  name: string;
  mutation: fc.Arbitrary<Mutation>;
  /** Formats and patterns have more edge forms than a length or a range. */
  runs: number;
}

/** Targets for every field with rules in `desc` and the messages and oneof members below it. */
function targets(desc: DescMessage, holder: Holder): Target[] {
  const found: Target[] = [];
  for (const field of desc.fields) {
    if (hasOption(field, fieldRulesOption)) {
      const rules = getOption(field, fieldRulesOption);
      const values = valuesFor(field, rules);
      if (values === undefined) throw new Error(`no boundary values for ${field.toString()}`);
      const format = rules.type.case === "string" &&
        (rules.type.value.wellKnown.case !== undefined || rules.type.value.pattern !== "");
      found.push({
        name: field.toString(),
        mutation: values.map((value) => (event: Event) => {
          holder(event)[field.localName] = value;
        }),
        runs: format || rules.type.case === "map" || rules.cel.length > 0 ? 600 : 80,
      });
    }
    if (field.fieldKind !== "message" || !field.message.typeName.startsWith("analytics.")) continue;
    const child: Holder = (event) => {
      const parent = holder(event);
      if (field.oneof === undefined) {
        return (parent[field.localName] ??= create(field.message)) as Record<string, unknown>;
      }
      const group = parent[field.oneof.localName] as { case?: string; value?: unknown };
      if (group.case !== field.localName) {
        parent[field.oneof.localName] = { case: field.localName, value: create(field.message) };
      }
      return (parent[field.oneof.localName] as { value: Record<string, unknown> }).value;
    };
    found.push(...targets(field.message, child));
  }
  return found;
}

const allTargets = targets(EventSchema, (event) => event as unknown as Record<string, unknown>);
const anyMutation = fc.oneof(...allTargets.map((t) => t.mutation));

/** Events from the pool with `focus` changed, and now and then one other field too. */
function events(focus: fc.Arbitrary<Mutation>): fc.Arbitrary<Event> {
  return fc.tuple(
    fc.nat(pool.length - 1),
    focus,
    fc.option(anyMutation, { freq: 3 }),
  ).map(([i, change, other]) => {
    const event = clone(EventSchema, pool[i]);
    change(event);
    other?.(event);
    return event;
  });
}

function verdict(validate: typeof ingestValidator, event: Event): unknown {
  try {
    return validate(event, 4);
  } catch (error) {
    return `threw ${error}`;
  }
}

Deno.test("native 'valid' implies protovalidate's; the ingest's verdicts equal protovalidate's", async (t) => {
  for (const target of allTargets) {
    await t.step(target.name, () => {
      let vouched = 0;
      fc.assert(
        fc.property(events(target.mutation), (event) => {
          if (checker.certainlyValid(event)) {
            vouched++;
            const result = validator.validate(EventSchema, event);
            equal(result.kind, "valid", result.kind === "invalid" ? result.error.message : "");
          }
          assertEquals(verdict(ingestValidator, event), verdict(protovalidateOnly, event));
        }),
        { numRuns: target.runs },
      );
      // Not timing: the values must leave events the checker vouches for, or it was not tested.
      ok(vouched > target.runs / 10, `the checker vouched for ${vouched} of ${target.runs}`);
    });
  }
});

Deno.test("the checker vouches for every load-generator event", () => {
  for (const event of createEventSource({ seed: 5 }).batch(500)) {
    equal(checker.certainlyValid(event), true);
  }
});

Deno.test("timestamp rules: after 2000-01-01 exclusive, at most exactly 24 h after now", () => {
  const now = 1_800_000_000_123;
  const at = (seconds: bigint, nanos = 0) =>
    checker.certainlyValid(
      { ...pool[0], timestamp: create(TimestampSchema, { seconds, nanos }) },
      now,
    );
  equal(at(946_684_800n), false);
  equal(at(946_684_800n, 1), true);
  equal(at(1_800_086_400n, 123_000_000), true);
  equal(at(1_800_086_400n, 123_000_001), false);
  equal(at(1_800_086_401n), false);
  equal(checker.certainlyValid({ ...pool[0], timestamp: undefined }, now), false);
});

Deno.test("near now + 24 h, what the checker vouches for protovalidate accepts a moment later", () => {
  // The verdicts may differ here only by the clock moving between the two calls; the checker
  // reads it first, and a later `now` only widens the window, so its "valid" must hold.
  fc.assert(
    fc.property(
      fc.nat(pool.length - 1),
      fc.integer({ min: -50_000_000, max: 50_000_000 }),
      (i, offsetNanos) => {
        const nowMs = Date.now();
        const at = BigInt(nowMs + DAY_MS) * 1_000_000n + BigInt(offsetNanos);
        const event = clone(EventSchema, pool[i]);
        event.timestamp = create(TimestampSchema, {
          seconds: at / 1_000_000_000n,
          nanos: Number(at % 1_000_000_000n),
        });
        if (checker.certainlyValid(event)) {
          equal(validator.validate(EventSchema, event).kind, "valid");
        }
      },
    ),
    { numRuns: 500 },
  );
});
