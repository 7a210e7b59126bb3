import { Code, ConnectError } from "@connectrpc/connect";
import { digestsEqual, keyHashBytes, writeKeyDigest } from "./key_hash.ts";
import type { WriteKeyRecord } from "./write_key.ts";

/** Query parameter carrying a write key where a browser cannot set headers (beacon, keepalive). */
export const WRITE_KEY_PARAM = "write_key";

/** Message of the `unauthenticated` error when a request carries no key. */
export const MISSING_KEY_MESSAGE =
  "missing write key: send `authorization: Bearer <key>` or the `?write_key=<key>` parameter";

/** Message of the `unauthenticated` error when a key is not configured. */
export const UNKNOWN_KEY_MESSAGE = "unknown write key";

/** Message of the `unauthenticated` error when a key was revoked (`"revoked": true`). */
export const REVOKED_KEY_MESSAGE =
  "write key revoked: its source has a new key; update the client's configuration";

/** Message of the `unauthenticated` error when a key's `not_after` has passed. */
export function expiredKeyMessage(notAfter: Date): string {
  return `write key expired at ${notAfter.toISOString()}: its source has a new key; ` +
    "update the client's configuration";
}

/** Options of a `WriteKeyStore`. */
export interface WriteKeyStoreOptions {
  /** Clock in milliseconds since the epoch, for `not_after`; Date.now by default. */
  now?: () => number;
}

/**
 * The configured write keys, by hash. A presented key is hashed and compared with every stored
 * hash in constant time, so neither the key nor which record matched leaks through timing.
 * `replace` swaps the whole set at once (key rotation without a restart): a call sees either the
 * old set or the new one, never a mix.
 */
export class WriteKeyStore {
  #records: readonly WriteKeyRecord[];
  /** Each record's key hash as bytes, decoded once (swapped together with the records). */
  #digests: readonly Uint8Array[];
  readonly #now: () => number;

  /** Holds `records`; throws when two records share a key hash. */
  constructor(records: readonly WriteKeyRecord[], options: WriteKeyStoreOptions = {}) {
    this.#records = checkedRecords(records);
    this.#digests = this.#records.map((record) => keyHashBytes(record.keyHash));
    this.#now = options.now ?? Date.now;
  }

  /** Number of configured keys, revoked and expired ones included. */
  get size(): number {
    return this.#records.length;
  }

  /** The configured records, as last set. */
  get records(): readonly WriteKeyRecord[] {
    return this.#records;
  }

  /** Replaces every record at once; throws (keeping the current set) when two share a hash. */
  replace(records: readonly WriteKeyRecord[]): void {
    const checked = checkedRecords(records);
    const digests = checked.map((record) => keyHashBytes(record.keyHash));
    this.#records = checked;
    this.#digests = digests;
  }

  /** The record of `key` when it is configured, revoked and expired ones included. */
  lookup(key: string): WriteKeyRecord | undefined {
    const digest = writeKeyDigest(key);
    const records = this.#records, digests = this.#digests;
    let found: WriteKeyRecord | undefined;
    for (let i = 0; i < records.length; i++) {
      if (digestsEqual(digests[i], digest)) found = records[i];
    }
    return found;
  }

  /**
   * The record of `key` when it may send now. Throws `ConnectError` with `Code.Unauthenticated`
   * when the key is unknown, revoked or past its `not_after`, with a message saying which.
   */
  verify(key: string): WriteKeyRecord {
    const record = this.lookup(key);
    if (record === undefined) throw new ConnectError(UNKNOWN_KEY_MESSAGE, Code.Unauthenticated);
    if (record.revoked) throw new ConnectError(REVOKED_KEY_MESSAGE, Code.Unauthenticated);
    if (record.notAfter !== undefined && this.#now() >= record.notAfter.getTime()) {
      throw new ConnectError(expiredKeyMessage(record.notAfter), Code.Unauthenticated);
    }
    return record;
  }

  /**
   * The record of the key a request carries (`authorization: Bearer`, else `?write_key=`).
   * Throws `ConnectError` with `Code.Unauthenticated` when the key is missing, malformed,
   * unknown, revoked or expired.
   */
  authenticate(headers: Headers, url: URL | string): WriteKeyRecord {
    const key = extractWriteKey(headers, url);
    if (key === undefined) throw new ConnectError(MISSING_KEY_MESSAGE, Code.Unauthenticated);
    return this.verify(key);
  }
}

function checkedRecords(records: readonly WriteKeyRecord[]): readonly WriteKeyRecord[] {
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.keyHash)) {
      throw new Error(
        `write key ${record.keyHash.slice(0, 12)}… (source "${record.source}") is configured twice`,
      );
    }
    seen.add(record.keyHash);
  }
  return [...records];
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
