/**
 * The `string.ip` rule as protovalidate defines it (`isIp` in @bufbuild/protovalidate's lib.js,
 * which its package does not export): an IPv4 address in dotted decimal, or an IPv6 address in
 * RFC 4291 text form with an optional RFC 4007 zone. The scan below follows protovalidate's parser
 * step by step, quirks included, so both give the same answer on every string
 * (`ip_address_test.ts` and the native checker's property test compare them).
 *
 * @module
 */

const ZERO = 0x30, NINE = 0x39, DOT = 0x2e, COLON = 0x3a, PERCENT = 0x25;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Whether `s` is an IPv4 or IPv6 address by protovalidate's definition of `string.ip`. */
export function isIpAddress(s: string): boolean {
  return isIpv4Address(s) || isIpv6Address(s);
}

/** Whether `s` is four dotted decimal octets, each 0-255 without leading zeros. */
export function isIpv4Address(s: string): boolean {
  let i = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(i) !== DOT) return false;
      i++;
    }
    const start = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      i++;
      if (i - start > 3) return false;
    }
    const digits = i - start;
    if (digits === 0) return false;
    if (digits > 1 && s.charCodeAt(start) === ZERO) return false;
    if (Number(s.substring(start, i)) > 255) return false;
  }
  return i === s.length;
}

/** Whether `s` is an IPv6 address (with optional `%zone`) as protovalidate's parser reads it. */
export function isIpv6Address(s: string): boolean {
  const end = s.length;
  let i = 0;
  let pieces = 0;
  let doubleColon = false;
  while (i < end) {
    // Dotted notation for the right-most 32 bits, e.g. ::ffff:192.0.2.1.
    if (doubleColon || pieces === 6) {
      let j = i;
      while (j < end && (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === DOT)) j++;
      if (j - i >= 7) return isIpv4Address(s.substring(i, j)) && j === end;
    }
    const start = i;
    while (i < end && isHexDigit(s.charCodeAt(i))) i++;
    if (i - start > 4) return false;
    if (i > start) {
      pieces++;
      continue;
    }
    if (s.charCodeAt(i) === COLON) {
      i++;
      if (s.charCodeAt(i) === COLON) {
        i++;
        if (doubleColon) return false;
        doubleColon = true;
        if (s.charCodeAt(i) === COLON) return false;
      } else if (i === 1 || i === end) {
        return false; // a single colon may neither start nor end the address
      }
      continue;
    }
    if (s.charCodeAt(i) === PERCENT) {
      if (end - i - 1 <= 0) return false; // the zone id must not be empty
      i = end;
    }
    break;
  }
  if (i !== end) return false;
  return doubleColon ? pieces < 8 : pieces === 8;
}
