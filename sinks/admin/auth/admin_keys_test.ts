import { equal, throws } from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { hashWriteKey } from "../../../ingest/auth/key_hash.ts";
import { AdminKeys, newAdminKey, parseAdminKeyHashes } from "./admin_keys.ts";

function codeOf(fn: () => void): Code | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as ConnectError).code;
  }
}

Deno.test("admin keys: only a listed admin key passes; missing → unauthenticated, other → denied", () => {
  const key = newAdminKey();
  const other = newAdminKey();
  const keys = new AdminKeys([hashWriteKey(other), hashWriteKey(key)]);
  const headers = (value?: string) => new Headers(value ? { authorization: value } : {});
  equal(codeOf(() => keys.authorize(headers(`Bearer ${key}`))), undefined);
  equal(codeOf(() => keys.authorize(headers(`bearer ${other}`))), undefined);
  equal(codeOf(() => keys.authorize(headers())), Code.Unauthenticated);
  equal(codeOf(() => keys.authorize(headers(key))), Code.Unauthenticated);
  equal(codeOf(() => keys.authorize(headers("Bearer wk_a-write-key"))), Code.PermissionDenied);
  equal(codeOf(() => new AdminKeys([]).authorize(headers(`Bearer ${key}`))), Code.PermissionDenied);
  throws(() => keys.authorize(headers("Bearer nope")), ConnectError);
});

Deno.test("ADMIN_KEY_HASHES: hex hashes only, the variable named", () => {
  const hash = hashWriteKey("x");
  equal(parseAdminKeyHashes(` ${hash} ,, `, "ADMIN_KEY_HASHES").length, 1);
  throws(() => parseAdminKeyHashes("ak_plain_key", "ADMIN_KEY_HASHES"), /ADMIN_KEY_HASHES/);
});
