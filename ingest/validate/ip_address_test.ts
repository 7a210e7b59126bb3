import { equal } from "node:assert/strict";
import fc from "fast-check";
import { create } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import { ClientContextSchema } from "@analytics/schema";
import { isIpAddress } from "./ip_address.ts";
import { ipStrings } from "./testdata/ip_strings.ts";

const validator = createValidator();

/** protovalidate's verdict on `ip` as ClientContext.ip (`string.ip`, empty ignored). */
function protovalidateAccepts(ip: string): boolean {
  return validator.validate(ClientContextSchema, create(ClientContextSchema, { ip })).kind ===
    "valid";
}

Deno.test("isIpAddress agrees with protovalidate's string.ip on edge forms and token soups", () => {
  fc.assert(
    fc.property(ipStrings.filter((ip) => ip !== ""), (ip) => {
      equal(isIpAddress(ip), protovalidateAccepts(ip), JSON.stringify(ip));
    }),
    { numRuns: 5_000 },
  );
});

Deno.test("isIpAddress: the forms RFC 4291 and protovalidate's parser settle", () => {
  const cases: [string, boolean][] = [
    ["192.0.2.1", true],
    ["192.0.2.01", false],
    ["192.0.2.256", false],
    ["192.0.2", false],
    ["::", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7:8::", false],
    ["1:2:3:4:5:6:7::", true],
    ["1::2::3", false],
    [":1::", false],
    ["fe80::a%en1", true],
    ["fe80::a%", false],
    ["::ffff:192.0.2.1", true],
    ["12345::", false],
  ];
  for (const [ip, valid] of cases) {
    equal(isIpAddress(ip), valid, ip);
    equal(protovalidateAccepts(ip), valid, `protovalidate on ${ip}`);
  }
});
