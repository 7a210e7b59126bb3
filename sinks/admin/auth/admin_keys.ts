import { Code, ConnectError } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import { hashWriteKey, isKeyHash, keyHashesEqual } from "../../../ingest/auth/key_hash.ts";

/** Prefix of generated admin keys, so one is recognisable (and never mistaken for a write key). */
export const ADMIN_KEY_PREFIX = "ak_";

/** Message of the `unauthenticated` error when a call carries no key. */
export const MISSING_ADMIN_KEY_MESSAGE =
  "missing admin key: send `authorization: Bearer <admin key>`";

/** Message of the `permission_denied` error when the key is not an admin key. */
export const NOT_ADMIN_KEY_MESSAGE =
  "not an admin key: admin operations need a key listed in ADMIN_KEY_HASHES (write keys are not)";

/** A new random admin key: the prefix and 32 random bytes in base64url. */
export function newAdminKey(): string {
  return ADMIN_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Parses ADMIN_KEY_HASHES (comma-separated SHA-256 hex); throws naming `variable`. */
export function parseAdminKeyHashes(text: string, variable: string): string[] {
  const hashes = text.split(",").map((h) => h.trim()).filter((h) => h !== "");
  for (const hash of hashes) {
    if (!isKeyHash(hash)) {
      throw new Error(
        `${variable}: "${hash.slice(0, 16)}…" is not a SHA-256 hex hash (64 lower-case hex ` +
          "digits; `deno run sinks/admin/auth/new_admin_key.ts` makes a key and its hash)",
      );
    }
  }
  return hashes;
}

/**
 * The configured admin keys, by hash, separate from write keys. `authorize` hashes the
 * presented key and compares it with every hash in constant time.
 */
export class AdminKeys {
  readonly #hashes: readonly string[];

  /** Holds the SHA-256 hex hashes of the admin keys. */
  constructor(hashes: readonly string[]) {
    this.#hashes = [...hashes];
  }

  /** Number of admin keys; 0 means admin operations are off. */
  get size(): number {
    return this.#hashes.length;
  }

  /**
   * Throws `unauthenticated` without an `authorization: Bearer` key and `permission_denied`
   * when the key is not an admin key.
   */
  authorize(headers: Headers): void {
    const header = headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ConnectError(MISSING_ADMIN_KEY_MESSAGE, Code.Unauthenticated);
    const presented = hashWriteKey(match[1]);
    let found = false;
    // Every hash is compared, so the time taken does not say which one (or whether one) matched.
    for (const hash of this.#hashes) found = keyHashesEqual(presented, hash) || found;
    if (!found) throw new ConnectError(NOT_ADMIN_KEY_MESSAGE, Code.PermissionDenied);
  }
}
