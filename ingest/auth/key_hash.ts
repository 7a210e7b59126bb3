import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Prefix of generated write keys, so a leaked key is recognisable in logs and secret scanners. */
export const WRITE_KEY_PREFIX = "wk_";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The SHA-256 of a write key as 64 lower-case hex digits: the only form keys are stored in. */
export function hashWriteKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The SHA-256 of a write key as bytes: what `hashWriteKey` spells in hex. */
export function writeKeyDigest(key: string): Uint8Array {
  return createHash("sha256").update(key, "utf8").digest();
}

/** A stored key hash (64 hex digits) as bytes, to compare with `writeKeyDigest`s. */
export function keyHashBytes(keyHash: string): Uint8Array {
  return Buffer.from(keyHash, "hex");
}

/** Compares two digests in time independent of where they differ; false when either is empty. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.byteLength > 0 && timingSafeEqual(a, b);
}

/** A new random write key: the prefix and 32 random bytes in base64url (43 characters). */
export function newWriteKey(): string {
  return WRITE_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** True when `value` looks like a stored key hash (64 lower-case hex digits). */
export function isKeyHash(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** Compares two key hashes in time independent of where they differ. */
export function keyHashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
