import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { Channel } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "./key_hash.ts";
import { parseWriteKeys } from "./write_key.ts";
import {
  expiredKeyMessage,
  extractWriteKey,
  MISSING_KEY_MESSAGE,
  REVOKED_KEY_MESSAGE,
  UNKNOWN_KEY_MESSAGE,
  WriteKeyStore,
} from "./write_key_store.ts";
import { channelAllowed } from "./channel_access.ts";

const webKey = newWriteKey();
const anyKey = newWriteKey();
const store = new WriteKeyStore([
  ...parseWriteKeys(`site:${hashWriteKey(webKey)}:web`, "test"),
  ...parseWriteKeys(`backend:${hashWriteKey(anyKey)}`, "test"),
]);

function connectCode(fn: () => unknown): { code: Code; message: string } {
  try {
    fn();
  } catch (error) {
    ok(error instanceof ConnectError, `expected a ConnectError, got ${error}`);
    return { code: error.code, message: error.rawMessage };
  }
  throw new Error("expected an error");
}

Deno.test("authenticate finds a key sent as a bearer token", () => {
  const headers = new Headers({ authorization: `Bearer ${webKey}` });
  const record = store.authenticate(headers, "http://h/analytics.v1.IngestService/Track");
  assertEquals(record.source, "site");
  ok(channelAllowed(record, Channel.WEB));
  ok(!channelAllowed(record, Channel.AGENT));
});

Deno.test("authenticate finds a key sent as ?write_key=", () => {
  const url = new URL(`http://h/analytics?write_key=${encodeURIComponent(anyKey)}`);
  const record = store.authenticate(new Headers(), url);
  assertEquals(record.source, "backend");
  ok(channelAllowed(record, Channel.AGENT));
});

Deno.test("the authorization header wins over the query parameter", () => {
  const headers = new Headers({ authorization: `bearer ${webKey}` });
  assertEquals(store.authenticate(headers, `http://h/?write_key=${anyKey}`).source, "site");
});

Deno.test("a missing key is unauthenticated and says how to send one", () => {
  const error = connectCode(() => store.authenticate(new Headers(), "http://h/x"));
  assertEquals(error, { code: Code.Unauthenticated, message: MISSING_KEY_MESSAGE });
});

Deno.test("an unknown key is unauthenticated with its own message", () => {
  const headers = new Headers({ authorization: `Bearer ${newWriteKey()}` });
  const error = connectCode(() => store.authenticate(headers, "http://h/x"));
  assertEquals(error, { code: Code.Unauthenticated, message: UNKNOWN_KEY_MESSAGE });
});

Deno.test("the hash itself is not a key", () => {
  const headers = new Headers({ authorization: `Bearer ${hashWriteKey(webKey)}` });
  assertEquals(
    connectCode(() => store.authenticate(headers, "http://h/")).code,
    Code.Unauthenticated,
  );
});

Deno.test("an authorization header that is not Bearer is unauthenticated", () => {
  for (const value of ["Basic dXNlcjpwdw==", "Bearer", "Bearer a b", webKey]) {
    const error = connectCode(() => extractWriteKey(new Headers({ authorization: value }), "/"));
    assertEquals(error.code, Code.Unauthenticated, value);
    ok(error.message.includes("Bearer"));
  }
});

Deno.test("the store refuses the same key configured twice", () => {
  const records = parseWriteKeys(`a:${hashWriteKey(webKey)},b:${hashWriteKey(webKey)}`, "X");
  throws(() => new WriteKeyStore(records), /configured twice/);
});

Deno.test("a revoked key and a key past its not_after are refused, each with its own message", () => {
  const revoked = newWriteKey();
  const rotating = newWriteKey();
  let now = Date.parse("2026-11-28T10:00:00Z");
  const keys = new WriteKeyStore([
    { source: "site", keyHash: hashWriteKey(revoked), channels: "all", revoked: true },
    {
      source: "site",
      keyHash: hashWriteKey(rotating),
      channels: "all",
      notAfter: new Date("2026-11-28T12:00:00Z"),
    },
  ], { now: () => now });
  const bearer = (key: string) => new Headers({ authorization: `Bearer ${key}` });
  assertEquals(connectCode(() => keys.authenticate(bearer(revoked), "/")), {
    code: Code.Unauthenticated,
    message: REVOKED_KEY_MESSAGE,
  });
  assertEquals(keys.authenticate(bearer(rotating), "/").source, "site");
  now = Date.parse("2026-11-28T12:00:00Z");
  assertEquals(connectCode(() => keys.authenticate(bearer(rotating), "/")), {
    code: Code.Unauthenticated,
    message: expiredKeyMessage(new Date("2026-11-28T12:00:00Z")),
  });
});

Deno.test("replace swaps every key at once, and keeps the old set when the new one is bad", () => {
  const a = newWriteKey();
  const b = newWriteKey();
  const keys = new WriteKeyStore(parseWriteKeys(`s:${hashWriteKey(a)}`, "t"));
  keys.replace(parseWriteKeys(`s:${hashWriteKey(b)}`, "t"));
  assertEquals(keys.lookup(a), undefined);
  assertEquals(keys.lookup(b)?.source, "s");
  throws(
    () => keys.replace(parseWriteKeys(`x:${hashWriteKey(a)},y:${hashWriteKey(a)}`, "t")),
    /configured twice/,
  );
  assertEquals(keys.lookup(b)?.source, "s");
  assertEquals(keys.size, 1);
});
