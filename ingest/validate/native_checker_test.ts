import { deepStrictEqual as assertEquals, equal } from "node:assert/strict";
import {
  create,
  createFileRegistry,
  type MessageInitShape,
  setExtension,
} from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import {
  field as fieldRulesOption,
  FieldRulesSchema,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { EventSchema } from "@analytics/schema";
import { compileNativeChecker } from "./native_checker.ts";

Deno.test("the checker implements every buf.validate rule under analytics.v1.Event", () => {
  // A rule listed here sends every event that carries its field to protovalidate (the slow
  // path): implement it in native_value_rules.ts, with boundary values in the property test.
  assertEquals(compileNativeChecker(EventSchema).unsupported, []);
});

/** A message `t.M` with one string field `s` carrying `rules`. */
function messageWithStringRules(rules: MessageInitShape<typeof FieldRulesSchema>) {
  const options = create(FieldOptionsSchema);
  setExtension(options, fieldRulesOption, create(FieldRulesSchema, rules));
  const file = create(FileDescriptorProtoSchema, {
    name: "t.proto",
    package: "t",
    syntax: "proto3",
    messageType: [{
      name: "M",
      field: [{
        name: "s",
        jsonName: "s",
        number: 1,
        type: FieldDescriptorProto_Type.STRING,
        label: FieldDescriptorProto_Label.OPTIONAL,
        options,
      }],
    }],
  });
  return createFileRegistry(file, () => undefined).getMessage("t.M")!;
}

Deno.test("a rule the checker does not implement is reported and never vouched for", () => {
  const cases: [MessageInitShape<typeof FieldRulesSchema>, string][] = [
    [
      { type: { case: "string", value: { wellKnown: { case: "email", value: true } } } },
      "string.email",
    ],
    [{ type: { case: "string", value: { prefix: "a" } } }, "string.prefix"],
    [{ type: { case: "string", value: { pattern: "^(a|b)$" } } }, 'string.pattern "^(a|b)$"'],
    [{ cel: [{ id: "x", expression: "this != ''" }] }, `cel "x": this != ''`],
    [{ type: { case: "int32", value: { lessThan: { case: "lt", value: 3 } } } }, "int32 rules"],
  ];
  for (const [rules, name] of cases) {
    const schema = messageWithStringRules(rules);
    const checker = compileNativeChecker(schema);
    equal(checker.unsupported.length, 1, name);
    equal(checker.unsupported[0].startsWith(`t.M: s: ${name}`), true, checker.unsupported[0]);
    equal(checker.certainlyValid(create(schema, { s: "a" })), false, name);
  }
});

Deno.test("a rule the checker implements compiles and vouches for what it allows", () => {
  const schema = messageWithStringRules({
    type: { case: "string", value: { minLen: 1n, maxLen: 2n, pattern: "^[a-c]+$" } },
  });
  const checker = compileNativeChecker(schema);
  assertEquals(checker.unsupported, []);
  equal(checker.certainlyValid(create(schema, { s: "ab" })), true);
  equal(checker.certainlyValid(create(schema, { s: "" })), false);
  equal(checker.certainlyValid(create(schema, { s: "abc" })), false);
  equal(checker.certainlyValid(create(schema, { s: "ad" })), false);
});
