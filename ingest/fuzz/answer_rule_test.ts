import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { EventResultSchema, Outcome } from "@analytics/schema";
import { acceptedIds, judgeAnswer } from "./answer_rule.ts";
import type { FuzzCase } from "./fuzz_cases.ts";
import type { Answer } from "./protocols.ts";

const fuzzCase = (expect: string[], allValid = false): FuzzCase => ({
  kind: "test",
  protocol: "connect+proto",
  family: "connect",
  rpc: "Track",
  request: {
    transport: "http1",
    port: "http",
    method: "POST",
    path: "/",
    headers: {},
    body: new Uint8Array(),
  },
  expect,
  allValid,
});
const answer = (code: string, message = "", extra: Partial<Answer> = {}): Answer => ({
  code,
  message,
  status: 200,
  ...extra,
});
const result = (outcome: Outcome, field = "", reason = "") =>
  create(EventResultSchema, { index: 0, eventId: "e", outcome, field, reason });

Deno.test("server faults and unexpected codes break the rule", () => {
  const any = fuzzCase(["invalid_argument", "internal", "http_500", "ok"]);
  assert.match(judgeAnswer(any, answer("internal", "parse binary: x"))!, /server fault/);
  assert.match(judgeAnswer(any, answer("http_500", "internal error"))!, /server fault/);
  assert.match(judgeAnswer(any, answer("unknown", "x"))!, /server fault/);
  assert.match(judgeAnswer(fuzzCase(["ok"]), answer("unauthenticated", "key"))!, /not among/);
  assert.match(
    judgeAnswer(any, answer("no_answer", "", { broken: "reset" }))!,
    /no usable answer/,
  );
});

Deno.test("a failed call's message must name the field, limit, key or encoding", () => {
  const c = fuzzCase(["invalid_argument", "resource_exhausted", "unauthenticated", "http_415"]);
  assert.equal(
    judgeAnswer(c, answer("invalid_argument", "events[0].session_id: required")),
    undefined,
  );
  assert.equal(
    judgeAnswer(c, answer("invalid_argument", "cannot decode analytics.v1.TrackRequest")),
    undefined,
  );
  assert.match(judgeAnswer(c, answer("invalid_argument", "something went wrong"))!, /name/);
  assert.equal(
    judgeAnswer(c, answer("resource_exhausted", "above INGEST_MAX_REQUEST_BYTES")),
    undefined,
  );
  assert.match(judgeAnswer(c, answer("resource_exhausted", "too big"))!, /name/);
  assert.equal(judgeAnswer(c, answer("unauthenticated", "unknown write key")), undefined);
  assert.match(judgeAnswer(c, answer("http_415", ""))!, /name/);
});

Deno.test("a successful call answers every event; valid requests are all accepted", () => {
  const c = fuzzCase(["ok"]);
  const ok = (results: ReturnType<typeof result>[]) => answer("ok", "", { results });
  assert.equal(
    judgeAnswer(c, ok([result(Outcome.REJECTED, "events[0].channel", "bad")])),
    undefined,
  );
  assert.match(judgeAnswer(c, ok([result(Outcome.REJECTED, "", "bad")]))!, /without field/);
  assert.match(judgeAnswer(c, ok([result(Outcome.NOT_STORED)]))!, /without a reason/);
  assert.match(judgeAnswer(c, ok([result(Outcome.UNSPECIFIED)]))!, /no outcome/);
  const valid = fuzzCase(["ok"], true);
  assert.equal(judgeAnswer(valid, ok([result(Outcome.ACCEPTED)])), undefined);
  assert.match(
    judgeAnswer(valid, ok([result(Outcome.REJECTED, "events[0].x", "r")]))!,
    /not accepted/,
  );
  assert.match(judgeAnswer(valid, ok([]))!, /no results/);
  assert.deepEqual(acceptedIds(ok([result(Outcome.ACCEPTED), result(Outcome.REJECTED)])), ["e"]);
});
