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
  extractWriteKey,
  MISSING_KEY_MESSAGE,
  UNKNOWN_KEY_MESSAGE,
  WRITE_KEY_PARAM,
  WriteKeyStore,
} from "./write_key_store.ts";
export { channelAllowed } from "./channel_access.ts";
