/**
 * Write keys: configured as hashes, presented as `authorization: Bearer <key>` or `?write_key=`.
 *
 * @module
 */
export {
  hashWriteKey,
  isKeyHash,
  keyHashesEqual,
  newWriteKey,
  WRITE_KEY_PREFIX,
} from "./key_hash.ts";
export { parseWriteKeys, type RateLimit, type WriteKeyRecord } from "./write_key.ts";
export {
  expiredKeyMessage,
  extractWriteKey,
  MISSING_KEY_MESSAGE,
  REVOKED_KEY_MESSAGE,
  UNKNOWN_KEY_MESSAGE,
  WRITE_KEY_PARAM,
  WriteKeyStore,
  type WriteKeyStoreOptions,
} from "./write_key_store.ts";
export {
  type KeyFileReload,
  type KeyFileReloadOptions,
  type ReloadOutcome,
  watchWriteKeyFile,
} from "./write_key_file.ts";
export { channelAllowed } from "./channel_access.ts";
