/**
 * Prints the SHA-256 of a write key, the form INGEST_WRITE_KEYS and INGEST_WRITE_KEYS_FILE take.
 *
 *   deno run ingest/auth/hash_key.ts <key>                 the hash of an existing key
 *   deno run ingest/auth/hash_key.ts --new                 a new random key and its hash
 *   deno run ingest/auth/hash_key.ts --new --source <name> the same, and the key file entry
 *                                                          to add for a rotation (docs/keys.md)
 *
 * @module
 */
import { hashWriteKey, newWriteKey } from "./key_hash.ts";

const USAGE = "usage: deno run ingest/auth/hash_key.ts <key> | --new [--source <name>]";

/** Runs the command line `args`, returning the lines to print, or throwing a usage error. */
export function hashKeyCommand(args: string[]): string[] {
  const sourceAt = args.indexOf("--source");
  let source: string | undefined;
  if (sourceAt >= 0) {
    source = args[sourceAt + 1];
    if (source === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(source)) {
      throw new Error(`--source: 1-64 letters, digits, ".", "_" or "-"\n${USAGE}`);
    }
    args = [...args.slice(0, sourceAt), ...args.slice(sourceAt + 2)];
  }
  if (args.length === 1 && args[0] === "--new") {
    const key = newWriteKey();
    const sha256 = hashWriteKey(key);
    const lines = [`key:    ${key}`, `sha256: ${sha256}`];
    if (source !== undefined) lines.push(`entry:  ${JSON.stringify({ source, sha256 })}`);
    return lines;
  }
  if (args.length === 1 && args[0] !== "" && !args[0].startsWith("-") && source === undefined) {
    return [hashWriteKey(args[0])];
  }
  throw new Error(USAGE);
}

if (import.meta.main) {
  try {
    for (const line of hashKeyCommand(Deno.args)) console.log(line);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
}
