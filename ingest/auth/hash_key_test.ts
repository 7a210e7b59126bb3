import { deepStrictEqual as assertEquals, match, throws } from "node:assert/strict";
import { hashKeyCommand } from "./hash_key.ts";
import { Buffer } from "node:buffer";
import {
  digestsEqual,
  hashWriteKey,
  keyHashBytes,
  keyHashesEqual,
  newWriteKey,
  writeKeyDigest,
} from "./key_hash.ts";
import { parseWriteKeys } from "./write_key.ts";

Deno.test("hashWriteKey is SHA-256 hex (FIPS 180-2 test vector)", () => {
  assertEquals(
    hashWriteKey("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("hash_key prints the hash of a key, or a new key and its hash", () => {
  assertEquals(hashKeyCommand(["abc"]), [hashWriteKey("abc")]);
  const [keyLine, hashLine] = hashKeyCommand(["--new"]);
  const key = keyLine.replace(/^key:\s+/, "");
  match(key, /^wk_[A-Za-z0-9_-]{43}$/);
  assertEquals(hashLine, `sha256: ${hashWriteKey(key)}`);
  throws(() => hashKeyCommand([]), /usage/);
  throws(() => hashKeyCommand(["--bogus"]), /usage/);
});

Deno.test("hash_key --new --source prints the key file entry for a rotation", () => {
  const [keyLine, hashLine, entryLine] = hashKeyCommand(["--new", "--source", "website"]);
  const key = keyLine.replace(/^key:\s+/, "");
  assertEquals(hashLine, `sha256: ${hashWriteKey(key)}`);
  const entry = JSON.parse(entryLine.replace(/^entry:\s+/, ""));
  assertEquals(entry, { source: "website", sha256: hashWriteKey(key) });
  assertEquals(parseWriteKeys(JSON.stringify([entry]), "entry")[0].source, "website");
  throws(() => hashKeyCommand(["--new", "--source"]), /--source/);
  throws(() => hashKeyCommand(["--new", "--source", "bad name"]), /--source/);
  throws(() => hashKeyCommand(["abc", "--source", "website"]), /usage/);
});

Deno.test("hash_key runs as a command", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", new URL("./hash_key.ts", import.meta.url).pathname, "abc"],
    env: { NO_COLOR: "1" },
  }).output();
  assertEquals(new TextDecoder().decode(output.stdout).trim(), hashWriteKey("abc"));
});

Deno.test("keyHashesEqual compares whole hashes", () => {
  const a = hashWriteKey("a");
  assertEquals(keyHashesEqual(a, a), true);
  assertEquals(keyHashesEqual(a, hashWriteKey("b")), false);
  assertEquals(keyHashesEqual(a, a.slice(0, 62)), false);
  assertEquals(keyHashesEqual("", ""), false);
});

Deno.test("writeKeyDigest is hashWriteKey's bytes; digestsEqual compares whole digests", () => {
  const key = newWriteKey();
  const digest = writeKeyDigest(key);
  assertEquals(Buffer.from(digest).toString("hex"), hashWriteKey(key));
  assertEquals(digestsEqual(digest, keyHashBytes(hashWriteKey(key))), true);
  assertEquals(digestsEqual(digest, writeKeyDigest(key + "x")), false);
  assertEquals(digestsEqual(digest, digest.subarray(0, 31)), false);
  assertEquals(digestsEqual(new Uint8Array(), new Uint8Array()), false);
});
