/**
 * Prints a new admin key and the SHA-256 hash ADMIN_KEY_HASHES takes (or the hash of a given key).
 *
 *   deno run sinks/admin/auth/new_admin_key.ts          a new key and its hash
 *   deno run sinks/admin/auth/new_admin_key.ts <key>    the hash of an existing key
 *
 * @module
 */
import { hashWriteKey } from "../../../ingest/auth/key_hash.ts";
import { newAdminKey } from "./admin_keys.ts";

if (import.meta.main) {
  if (Deno.args.length > 1 || Deno.args[0]?.startsWith("-")) {
    console.error("usage: deno run sinks/admin/auth/new_admin_key.ts [<key>]");
    Deno.exit(2);
  }
  const key = Deno.args[0] ?? newAdminKey();
  if (Deno.args.length === 0) console.log(`key:    ${key}`);
  console.log(`sha256: ${hashWriteKey(key)}`);
}
