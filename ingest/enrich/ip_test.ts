import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { isIP } from "node:net";
import { anonymiseIp, normaliseIp } from "./ip.ts";

Deno.test("IPv4 keeps its /24", () => {
  assertEquals(anonymiseIp("203.0.113.77"), "203.0.113.0");
  assertEquals(anonymiseIp(" 10.1.2.3 "), "10.1.2.0");
  assertEquals(normaliseIp("203.0.113.77"), "203.0.113.77");
});

Deno.test("IPv6 keeps its /48, written per RFC 5952", () => {
  assertEquals(anonymiseIp("2001:db8:abcd:12:3456:789a:bcde:f012"), "2001:db8:abcd::");
  assertEquals(anonymiseIp("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::");
  assertEquals(anonymiseIp("[2001:db8:1::5]"), "2001:db8:1::");
  assertEquals(anonymiseIp("fe80::1%eth0"), "fe80::");
  assertEquals(anonymiseIp("::1"), "::");
  assertEquals(normaliseIp("2001:DB8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  assertEquals(normaliseIp("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  assertEquals(normaliseIp("::"), "::");
});

Deno.test("IPv4-mapped IPv6 is treated as IPv4", () => {
  assertEquals(anonymiseIp("::ffff:192.0.2.99"), "192.0.2.0");
  assertEquals(anonymiseIp("::ffff:c000:263"), "192.0.2.0");
  assertEquals(normaliseIp("::ffff:127.0.0.1"), "127.0.0.1");
  assertEquals(normaliseIp("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
});

Deno.test("what is not an IP address gives undefined", () => {
  for (
    const text of [
      "",
      "localhost",
      "1.2.3",
      "1.2.3.256",
      "01.2.3.4",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "::ffff:1.2.3",
      "g::1",
      "1:2:3:4:5:6:7",
    ]
  ) {
    assertEquals(anonymiseIp(text), undefined, text);
  }
});

function randomIpv6(): string {
  const groups = Array.from(
    { length: 8 },
    () => Math.random() < 0.3 ? "0" : Math.floor(Math.random() * 0x10000).toString(16),
  );
  let text = groups.join(":");
  if (Math.random() < 0.5) text = normaliseIp(text)!; // compressed form too
  return Math.random() < 0.2 ? text.toUpperCase() : text;
}

Deno.test("property: anonymised addresses are valid, idempotent and keep the prefix", () => {
  for (let i = 0; i < 5000; i++) {
    const octets = Array.from({ length: 4 }, () => Math.floor(Math.random() * 256));
    const v4 = octets.join(".");
    const anon4 = anonymiseIp(v4)!;
    assertEquals(anon4, `${octets.slice(0, 3).join(".")}.0`);
    assertEquals(anonymiseIp(anon4), anon4);

    const v6 = randomIpv6();
    const full = normaliseIp(v6)!;
    ok(isIP(full) === 6 || isIP(full) === 4, `${v6} → ${full}`);
    assertEquals(normaliseIp(full), full, "canonical form is stable");
    const anon6 = anonymiseIp(v6)!;
    assertEquals(anonymiseIp(anon6), anon6);
    if (isIP(full) === 6) {
      const expand = (ip: string) => {
        const [l, r = ""] = ip.split("::");
        const left = l ? l.split(":") : [];
        const right = r ? r.split(":") : [];
        const middle = ip.includes("::") ? Array(8 - left.length - right.length).fill("0") : [];
        return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
      };
      assertEquals(expand(anon6).slice(0, 3), expand(full).slice(0, 3));
      assertEquals(expand(anon6).slice(3), [0, 0, 0, 0, 0]);
    }
  }
});
