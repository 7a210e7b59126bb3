/**
 * Prints the SHA-256 of a write key, the form INGEST_WRITE_KEYS and INGEST_WRITE_KEYS_FILE take.
 *
 *   deno run ingest/auth/hash_key.ts <key>     the hash of an existing key
 *   deno run ingest/auth/hash_key.ts --new     a new random key and its hash
 *
 * @module
 */
import { hashWriteKey, newWriteKey } from "./key_hash.ts";

/** Runs the command line `args`, returning the lines to print, or throwing a usage error. */
export function hashKeyCommand(args: string[]): string[] {
  if (args.length === 1 && args[0] === "--new") {
    const key = newWriteKey();
    return [`key:    ${key}`, `sha256: ${hashWriteKey(key)}`];
  }
  if (args.length === 1 && args[0] !== "" && !args[0].startsWith("-")) {
    return [hashWriteKey(args[0])];
  }
  throw new Error("usage: deno run ingest/auth/hash_key.ts <key> | --new");
}

if (import.meta.main) {
  try {
    for (const line of hashKeyCommand(Deno.args)) console.log(line);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
}
