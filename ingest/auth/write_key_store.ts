import { Code, ConnectError } from "@connectrpc/connect";
import { hashWriteKey, keyHashesEqual } from "./key_hash.ts";
import type { WriteKeyRecord } from "./write_key.ts";

/** Query parameter carrying a write key where a browser cannot set headers (beacon, keepalive). */
export const WRITE_KEY_PARAM = "write_key";

/** Message of the `unauthenticated` error when a request carries no key. */
export const MISSING_KEY_MESSAGE =
  "missing write key: send `authorization: Bearer <key>` or the `?write_key=<key>` parameter";

/** Message of the `unauthenticated` error when a key is not configured. */
export const UNKNOWN_KEY_MESSAGE = "unknown write key";

/**
 * The configured write keys, by hash. A presented key is hashed and compared with every stored
 * hash in constant time, so neither the key nor which record matched leaks through timing.
 */
export class WriteKeyStore {
  readonly #records: readonly WriteKeyRecord[];

  /** Holds `records`; throws when two records share a key hash. */
  constructor(records: readonly WriteKeyRecord[]) {
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.keyHash)) {
        throw new Error(`write key ${record.keyHash.slice(0, 12)}… is configured twice`);
      }
      seen.add(record.keyHash);
    }
    this.#records = records;
  }

  /** Number of configured keys. */
  get size(): number {
    return this.#records.length;
  }

  /** The record of `key`, or undefined when it is not configured. */
  lookup(key: string): WriteKeyRecord | undefined {
    const hash = hashWriteKey(key);
    let found: WriteKeyRecord | undefined;
    for (const record of this.#records) {
      if (keyHashesEqual(record.keyHash, hash)) found = record;
    }
    return found;
  }

  /**
   * The record of the key a request carries (`authorization: Bearer`, else `?write_key=`).
   * Throws `ConnectError` with `Code.Unauthenticated` when the key is missing, malformed or unknown.
   */
  authenticate(headers: Headers, url: URL | string): WriteKeyRecord {
    const key = extractWriteKey(headers, url);
    if (key === undefined) throw new ConnectError(MISSING_KEY_MESSAGE, Code.Unauthenticated);
    const record = this.lookup(key);
    if (record === undefined) throw new ConnectError(UNKNOWN_KEY_MESSAGE, Code.Unauthenticated);
    return record;
  }
}

/**
 * The write key of a request, or undefined when it carries none. Throws `unauthenticated` when the
 * `authorization` header is present but not `Bearer <key>`.
 */
export function extractWriteKey(headers: Headers, url: URL | string): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization !== null && authorization.trim() !== "") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    if (match === null) {
      throw new ConnectError(
        "authorization header must be `Bearer <write key>`",
        Code.Unauthenticated,
      );
    }
    return match[1];
  }
  const parsed = typeof url === "string" ? safeUrl(url) : url;
  const fromQuery = parsed?.searchParams.get(WRITE_KEY_PARAM);
  return fromQuery ? fromQuery : undefined;
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url, "http://localhost");
  } catch {
    return undefined;
  }
}
