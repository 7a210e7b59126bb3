import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { IngestService } from "@analytics/schema";
import { pageViews } from "../server/testdata/events.ts";
import { startIngestProcess } from "../testdata/ingest_process.ts";
import { hashWriteKey, newWriteKey } from "./key_hash.ts";
import { REVOKED_KEY_MESSAGE, UNKNOWN_KEY_MESSAGE } from "./write_key_store.ts";

/** Writes the key file as operators should: a new file renamed over the old one. */
async function writeKeyFile(path: string, keys: unknown[]): Promise<void> {
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify({ keys }, null, 2));
  await Deno.rename(`${path}.tmp`, path);
}

/** Sends one event with `key`: "accepted", or the unauthenticated message. */
async function send(httpUrl: string, key: string): Promise<string> {
  const client = createClient(
    IngestService,
    createConnectTransport({ baseUrl: httpUrl, httpVersion: "1.1" }),
  );
  try {
    const answer = await client.track({ events: pageViews(1) }, {
      headers: { authorization: `Bearer ${key}` },
    });
    return answer.accepted === 1 ? "accepted" : JSON.stringify(answer.results);
  } catch (error) {
    assert.ok(error instanceof ConnectError && error.code === Code.Unauthenticated, `${error}`);
    return error.rawMessage;
  }
}

Deno.test("a running ingest rotates and revokes write keys from its key file, no restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "key-rotation-" });
  const file = `${dir}/keys.json`;
  const [a, b] = [newWriteKey(), newWriteKey()];
  try {
    await writeKeyFile(file, [{ source: "site", sha256: hashWriteKey(a) }]);
    await using ingest = await startIngestProcess({
      INGEST_LOG_DIR: `${dir}/log`,
      INGEST_WRITE_KEYS_FILE: file,
      INGEST_WRITE_KEYS_RELOAD_SECONDS: "1",
      INGEST_LEGACY_SOURCE: "legacy",
    });
    const reloads = () =>
      ingest.lines().filter((l) => typeof l === "object" && l.msg === "write keys reloaded").length;
    const reloaded = async (n: number) => {
      await ingest.waitFor(() => reloads() >= n, `reload ${n}`);
    };

    assert.equal(await send(ingest.httpUrl, a), "accepted");
    assert.equal(await send(ingest.httpUrl, b), UNKNOWN_KEY_MESSAGE);

    // Rotation: the source's new key B is added; both keys work during the overlap.
    await writeKeyFile(file, [
      { source: "site", sha256: hashWriteKey(a) },
      { source: "site", sha256: hashWriteKey(b) },
    ]);
    await reloaded(1);
    assert.equal(await send(ingest.httpUrl, a), "accepted");
    assert.equal(await send(ingest.httpUrl, b), "accepted");

    // Revocation of A: refused with a message saying so; B keeps working.
    await writeKeyFile(file, [
      { source: "site", sha256: hashWriteKey(a), revoked: true },
      { source: "site", sha256: hashWriteKey(b) },
    ]);
    await reloaded(2);
    assert.equal(await send(ingest.httpUrl, a), REVOKED_KEY_MESSAGE);
    assert.equal(await send(ingest.httpUrl, b), "accepted");
    const legacy = await fetch(`${ingest.httpUrl}/analytics?write_key=${a}`, {
      method: "POST",
      body: JSON.stringify({ event_type: "click", channel: "web", session_id: "s-1" }),
    });
    assert.equal(legacy.status, 401);
    assert.deepEqual(await legacy.json(), { error: REVOKED_KEY_MESSAGE });

    // A broken edit keeps the keys as they were, and is logged with the reason.
    await Deno.writeTextFile(file, `{"keys": [{"source": "site", "sha256": "${b}"}]}`);
    await ingest.waitFor(
      (l) => l.msg === "write key file refused; keeping the previous keys",
      "the refusal",
    );
    assert.equal(await send(ingest.httpUrl, b), "accepted");
    assert.equal(await send(ingest.httpUrl, a), REVOKED_KEY_MESSAGE);
    assert.equal(await ingest.stop(), 0);
    assert.ok(!ingest.output().includes(a) && !ingest.output().includes(b), "a key was logged");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGHUP re-reads the key file when polling is off", async () => {
  const dir = await Deno.makeTempDir({ prefix: "key-sighup-" });
  const file = `${dir}/keys.json`;
  const [a, c] = [newWriteKey(), newWriteKey()];
  try {
    await writeKeyFile(file, [{ source: "site", sha256: hashWriteKey(a) }]);
    await using ingest = await startIngestProcess({
      INGEST_LOG_DIR: `${dir}/log`,
      INGEST_WRITE_KEYS_FILE: file,
      INGEST_WRITE_KEYS_RELOAD_SECONDS: "0",
    });
    await writeKeyFile(file, [{ source: "bots", sha256: hashWriteKey(c) }]);
    assert.equal(await send(ingest.httpUrl, c), UNKNOWN_KEY_MESSAGE);
    ingest.signal("SIGHUP");
    await ingest.waitFor((l) => l.msg === "write keys reloaded", "the reload");
    assert.equal(await send(ingest.httpUrl, c), "accepted");
    assert.equal(await send(ingest.httpUrl, a), UNKNOWN_KEY_MESSAGE);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
