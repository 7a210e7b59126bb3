import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { IngestService } from "@analytics/schema";
import { pageViews } from "../server/testdata/events.ts";
import { startIngestProcess } from "../testdata/ingest_process.ts";
import { hashWriteKey, newWriteKey } from "./key_hash.ts";

Deno.test("the ingest never logs a write key, on success or on any refusal", async () => {
  const dir = await Deno.makeTempDir({ prefix: "key-logging-" });
  const good = newWriteKey();
  const unknown = newWriteKey();
  const keys = [good, unknown, Buffer.from(`user:${unknown}`).toString("base64")];
  try {
    const ingest = await startIngestProcess({
      INGEST_LOG_DIR: `${dir}/log`,
      INGEST_WRITE_KEYS: `site:${hashWriteKey(good)}`,
      INGEST_LEGACY_SOURCE: "legacy",
      INGEST_MAX_REQUEST_BYTES: "2048",
      INGEST_MAX_EVENT_BYTES: "1024",
      LOG_LEVEL: "debug",
    });
    // Closed before the ingest stops: see "A Deno node:http2 client crash" in docs/listeners.md.
    const session = new Http2SessionManager(ingest.grpcUrl!);
    try {
      const connect = createClient(
        IngestService,
        createConnectTransport({ baseUrl: ingest.httpUrl, httpVersion: "1.1" }),
      );
      const grpc = createClient(
        IngestService,
        createGrpcTransport({ baseUrl: ingest.grpcUrl!, sessionManager: session }),
      );
      const code = (promise: Promise<unknown>) =>
        promise.then(() => "ok", (e) => Code[ConnectError.from(e).code]);
      const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

      assert.equal(await code(connect.track({ events: pageViews(1) }, bearer(good))), "ok");
      assert.equal(await code(grpc.track({ events: pageViews(1) }, bearer(good))), "ok");
      for (const client of [connect, grpc]) {
        const refused = [
          await code(client.track({ events: pageViews(1) }, bearer(unknown))),
          await code(client.track({ events: pageViews(1) }, {
            headers: { authorization: `Basic ${keys[2]}` },
          })),
          await code(client.track({ events: pageViews(400) }, bearer(unknown))),
        ];
        assert.deepEqual(refused, ["Unauthenticated", "Unauthenticated", "ResourceExhausted"]);
      }
      const post = (query: string, body: string) =>
        fetch(`${ingest.httpUrl}/analytics${query}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        }).then(async (r) => (await r.body?.cancel(), r.status));
      const event = JSON.stringify({ event_type: "click", channel: "web", session_id: "s" });
      assert.equal(await post(`?write_key=${good}`, event), 200);
      assert.equal(await post(`?write_key=${unknown}`, event), 401);
      assert.equal(await post(`?write_key=${good}`, "{not json"), 400);
      assert.equal(await post(`?write_key=${unknown}`, "x".repeat(4096)), 413);
      const track = await fetch(
        `${ingest.httpUrl}/analytics.v1.IngestService/Track?write_key=${unknown}`,
        { method: "POST", headers: { "content-type": "application/json" }, body: "{" },
      );
      await track.body?.cancel();
      assert.ok(track.status >= 400);
    } finally {
      session.abort();
      assert.equal(await ingest.stop(), 0);
    }
    const output = ingest.output();
    assert.ok(output.includes('"msg":"stopped"'), output.slice(-2000));
    for (const key of keys) assert.ok(!output.includes(key), "a key is in the ingest's output");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
