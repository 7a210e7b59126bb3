/** Strings around the `string.ip` rule, for the tests of the native checker. */
import fc from "fast-check";

const IP_TOKENS = ["1", "ff", "FFFF", "fffff", "0", "00", "255", "256", "01", ":", "::", ".", "%"];
/** IP address edge forms: protovalidate's quirks, zones, embedded IPv4, random token soups. */
export const ipStrings: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "01.1.1.1",
    "1.1.1",
    "1.1.1.1.",
    "1.1.1.1\n",
    "::",
    "::1",
    "1::",
    ":1::",
    "1:",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::",
    "1:2:3:4:5:6:7:8::",
    "1::2::3",
    ":::",
    "fe80::a%en1",
    "fe80::a%",
    "::ffff:192.0.2.1",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::1.2.3.4.5",
    "::1.2.3",
    "12345::",
    "[::1]",
    " 1.1.1.1",
    "١.1.1.1",
  ),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.array(fc.constantFrom(...IP_TOKENS), { maxLength: 12 }).map((t) => t.join("")),
);
