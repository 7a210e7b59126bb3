import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import { createUuidv7Generator, uuidv7, uuidv7Time } from "./uuidv7.ts";
import { EventSchema } from "./mod.ts";

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("uuidv7 has the RFC 9562 layout: version 7, variant 10", () => {
  for (let i = 0; i < 1000; i++) ok(FORMAT.test(uuidv7()));
});

Deno.test("uuidv7 encodes the clock's time in its first 48 bits", () => {
  for (const t of [0, 1, 946684800000, 1735689600123, 2 ** 48 - 1]) {
    assertEquals(uuidv7Time(createUuidv7Generator(() => t)()), t);
  }
  const before = Date.now();
  const time = uuidv7Time(uuidv7()) ?? 0;
  ok(time >= before && time <= Date.now());
});

Deno.test("uuidv7 ids made by one generator are unique and sort in creation order", () => {
  const ids = Array.from({ length: 20000 }, () => uuidv7());
  assertEquals(new Set(ids).size, ids.length);
  assertEquals([...ids].sort(), ids);
});

Deno.test("uuidv7 stays ordered when the clock stands still or goes back", () => {
  let t = 1735689600000;
  const next = createUuidv7Generator(() => t);
  const ids = Array.from({ length: 5000 }, () => next());
  t -= 1000;
  ids.push(next(), next());
  assertEquals([...ids].sort(), ids);
  assertEquals(new Set(ids).size, ids.length);
  ok((uuidv7Time(ids.at(-1)!) ?? 0) > 1735689600000, "counter overflow moves to the next ms");
});

Deno.test("uuidv7 ids pass the schema's event_id rule", () => {
  const validator = createValidator();
  const result = validator.validate(EventSchema, create(EventSchema, { eventId: uuidv7() }));
  ok(result.kind === "invalid");
  ok(!result.violations.some((v) => v.ruleId.startsWith("string.uuid")));
});

Deno.test("uuidv7Time rejects strings that are not UUIDv7", () => {
  assertEquals(uuidv7Time("not-a-uuid"), undefined);
  assertEquals(uuidv7Time("550e8400-e29b-41d4-a716-446655440000"), undefined);
});
