/**
 * Client IP addresses: parsed, written in canonical form (RFC 5952 for IPv6) and anonymised by
 * zeroing the host part: IPv4 keeps its /24, IPv6 its /48. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, as dual-stack sockets report IPv4 clients) is treated as the IPv4 address.
 */

type ParsedIp = { version: 4; octets: number[] } | { version: 6; hextets: number[] };

/** The address written canonically (IPv4 dotted, IPv6 compressed lower-case), or undefined. */
export function normaliseIp(text: string): string | undefined {
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  return ip.version === 4 ? ip.octets.join(".") : formatIpv6(ip.hextets);
}

/** The address with its host part zeroed (IPv4 → /24, IPv6 → /48), or undefined if not an IP. */
export function anonymiseIp(text: string): string | undefined {
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  if (ip.version === 4) return [...ip.octets.slice(0, 3), 0].join(".");
  return formatIpv6([...ip.hextets.slice(0, 3), 0, 0, 0, 0, 0]);
}

/** Parses an IPv4 or IPv6 address; brackets and an IPv6 zone (`%eth0`) are ignored. */
export function parseIp(text: string): ParsedIp | undefined {
  let value = text.trim();
  if (value.startsWith("[") && value.endsWith("]")) value = value.slice(1, -1);
  const octets = parseIpv4(value);
  if (octets !== undefined) return { version: 4, octets };
  const zone = value.indexOf("%");
  if (zone >= 0) value = value.slice(0, zone);
  const hextets = parseIpv6(value);
  if (hextets === undefined) return undefined;
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) {
    return {
      version: 4,
      octets: [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff],
    };
  }
  return { version: 6, hextets };
}

function parseIpv4(value: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  // Leading zeros are ambiguous (octal in some parsers): refuse them.
  if (match.slice(1).some((o) => o.length > 1 && o.startsWith("0"))) return undefined;
  return octets;
}

function parseIpv6(value: string): number[] | undefined {
  if (value === "" || !/^[0-9A-Fa-f:.]+$/.test(value)) return undefined;
  let tail: number[] = [];
  if (value.includes(".")) {
    // An embedded IPv4 address stands for the last two groups (`::ffff:192.0.2.1`).
    const lastColon = value.lastIndexOf(":");
    const v4 = parseIpv4(value.slice(lastColon + 1));
    if (lastColon < 0 || v4 === undefined) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    const prefix = value.slice(0, lastColon + 1);
    value = prefix.endsWith("::") ? prefix : prefix.slice(0, -1);
  }
  const halves = value.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parseGroups(halves[0]);
  const rest = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1) {
    return explicit === 8 ? [...head, ...tail] : undefined;
  }
  if (explicit > 7) return undefined;
  return [...head, ...new Array(8 - explicit).fill(0), ...rest, ...tail];
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of 2+ zero groups as `::`. */
function formatIpv6(hextets: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}
