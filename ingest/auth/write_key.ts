import type { Channel } from "@analytics/schema";
import { CHANNEL_NAMES, channelFromName } from "../validate/channel_names.ts";
import { isKeyHash } from "./key_hash.ts";

/** A per-key rate limit in events per second, with a burst of at most `burst` events. */
export interface RateLimit {
  eventsPerSecond: number;
  burst: number;
}

/** A configured write key: who sends with it and what it may send. Only its hash is kept. */
export interface WriteKeyRecord {
  /** SHA-256 hex of the key. */
  keyHash: string;
  /** Name of the source the key belongs to; copied into every event's enrichment. */
  source: string;
  /** Channels the key may send, or "all". */
  channels: ReadonlySet<Channel> | "all";
  /** Overrides the default rate limit when set. */
  rateLimit?: RateLimit;
  /** The key is refused from this instant on (the end of a rotation's overlap). */
  notAfter?: Date;
  /** The key is refused, with a message saying it was revoked. */
  revoked?: boolean;
}

/**
 * Parses write key configuration: either JSON (an array of keys, or `{"keys": [...]}`), each key
 * `{"source": "site", "sha256": "<hex>", "channels": ["web"], "rate_limit": {"events_per_second":
 * 100, "burst": 200}, "not_after": "2026-12-01T00:00:00Z", "revoked": false}` (all but source and
 * sha256 optional), or the compact form `source:sha256[:channel+channel],...`. Throws an Error
 * saying what is wrong, prefixed by `origin`; the message never repeats a whole entry, which
 * might be a key pasted by mistake.
 */
export function parseWriteKeys(text: string, origin: string): WriteKeyRecord[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return parseJsonKeys(trimmed, origin);
  return trimmed.split(",").map((entry, i) => parseCompactKey(entry.trim(), `${origin}[${i}]`));
}

function parseCompactKey(entry: string, where: string): WriteKeyRecord {
  const [source, hash, channels, ...rest] = entry.split(":");
  if (rest.length > 0 || !source || !hash) {
    const parts = entry === "" ? 0 : entry.split(":").length;
    throw new Error(`${where}: expected source:sha256[:channel+channel], got ${parts} part(s)`);
  }
  return {
    source: checkSource(source, where),
    keyHash: checkHash(hash, where),
    channels: channels === undefined ? "all" : parseChannels(channels.split("+"), where),
  };
}

function parseJsonKeys(text: string, origin: string): WriteKeyRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin}: not valid JSON (${(error as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) {
    throw new Error(`${origin}: expected a JSON array of keys or an object with a "keys" array`);
  }
  return list.map((item, i) => parseJsonKey(item, `${origin}[${i}]`));
}

function parseJsonKey(item: unknown, where: string): WriteKeyRecord {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new Error(`${where}: expected an object with "source" and "sha256"`);
  }
  const {
    source,
    sha256,
    channels,
    rate_limit: rateLimit,
    not_after: notAfter,
    revoked,
    ...unknown
  } = item as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) {
    throw new Error(
      `${where}: unknown field "${extra[0]}" ` +
        "(allowed: source, sha256, channels, rate_limit, not_after, revoked)",
    );
  }
  if (typeof source !== "string") throw new Error(`${where}.source: expected a string`);
  if (typeof sha256 !== "string") {
    throw new Error(`${where}.sha256: expected the key's SHA-256 as 64 hex digits`);
  }
  const record: WriteKeyRecord = {
    source: checkSource(source, `${where}.source`),
    keyHash: checkHash(sha256, `${where}.sha256`),
    channels: "all",
  };
  if (channels !== undefined && channels !== "*" && channels !== "all") {
    if (!Array.isArray(channels) || channels.some((c) => typeof c !== "string")) {
      throw new Error(`${where}.channels: expected an array of channel names or "*"`);
    }
    record.channels = parseChannels(channels, `${where}.channels`);
  }
  if (rateLimit !== undefined) record.rateLimit = parseRateLimit(rateLimit, `${where}.rate_limit`);
  if (notAfter !== undefined) record.notAfter = parseInstant(notAfter, `${where}.not_after`);
  if (revoked !== undefined) {
    if (typeof revoked !== "boolean") throw new Error(`${where}.revoked: expected true or false`);
    if (revoked) record.revoked = true;
  }
  return record;
}

function parseInstant(value: unknown, where: string): Date {
  // RFC 3339 with an explicit zone, so every replica reads the same instant.
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  const date = typeof value === "string" && rfc3339.test(value) ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new Error(`${where}: expected an RFC 3339 time with a zone, e.g. 2026-12-01T00:00:00Z`);
  }
  return date;
}

function parseRateLimit(value: unknown, where: string): RateLimit {
  const { events_per_second: perSecond, burst } = (value ?? {}) as Record<string, unknown>;
  if (typeof perSecond !== "number" || !(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new Error(`${where}.events_per_second: expected a number above 0`);
  }
  const burstValue = burst ?? perSecond;
  if (typeof burstValue !== "number" || !Number.isInteger(burstValue) || burstValue < 1) {
    throw new Error(`${where}.burst: expected an integer of at least 1`);
  }
  return { eventsPerSecond: perSecond, burst: burstValue };
}

function parseChannels(names: string[], where: string): ReadonlySet<Channel> | "all" {
  if (names.some((n) => n.trim() === "*")) return "all";
  const channels = new Set<Channel>();
  for (const name of names) {
    const channel = channelFromName(name);
    if (channel === undefined) {
      throw new Error(
        `${where}: unknown channel "${name}" (known: ${CHANNEL_NAMES.join(", ")}, or *)`,
      );
    }
    channels.add(channel);
  }
  if (channels.size === 0) throw new Error(`${where}: names no channel`);
  return channels;
}

function checkSource(source: string, where: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(source)) {
    throw new Error(
      `${where}: source "${source}" must be 1-64 letters, digits, ".", "_" or "-"`,
    );
  }
  return source;
}

function checkHash(hash: string, where: string): string {
  const lower = hash.toLowerCase();
  if (!isKeyHash(lower)) {
    throw new Error(
      `${where}: expected the key's SHA-256 as 64 hex digits (make one with ` +
        "`deno run ingest/auth/hash_key.ts <key>`), never the key itself",
    );
  }
  return lower;
}
