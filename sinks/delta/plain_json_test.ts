import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { AgentContextSchema, EventSchema, SpeechContextSchema } from "@analytics/schema";
import { sampleEvents } from "../testing/sample_events.ts";
import { plainMessageJson, plainReplacer } from "./plain_json.ts";

/** The JSON value the lake wrote before `plainMessageJson`: the message through the replacer. */
function expected(message: unknown): unknown {
  return JSON.parse(JSON.stringify(message, plainReplacer));
}

Deno.test("plainMessageJson gives the replacer's JSON value for every sample event", () => {
  for (const made of sampleEvents(400, { seed: 9 })) {
    // Decoded as the sink decodes: the library then orders properties differently.
    const event = fromBinary(EventSchema, toBinary(EventSchema, made));
    assert.deepEqual(JSON.parse(plainMessageJson(EventSchema, event)), expected(event));
    assert.deepEqual(JSON.parse(plainMessageJson(EventSchema, made)), expected(made));
  }
});

Deno.test("plainMessageJson writes 64-bit integers as strings, maps and zero values", () => {
  const agent = create(AgentContextSchema, { inputTokens: 2n ** 63n - 1n, toolName: "grep" });
  const json = JSON.parse(plainMessageJson(AgentContextSchema, agent));
  assert.equal(json.inputTokens, "9223372036854775807");
  assert.equal(json.outputTokens, "0");
  assert.equal(json.operationName, "");
  assert.equal(json.$typeName, undefined);
  const speech = create(SpeechContextSchema, { slots: { city: "Paris" }, confidence: 0.5 });
  assert.deepEqual(JSON.parse(plainMessageJson(SpeechContextSchema, speech)), expected(speech));
});
