import assert from "node:assert/strict";
import { Code, type ConnectError } from "@connectrpc/connect";
import { Channel, type EventJson } from "@analytics/schema";
import { startLocalIngest } from "../../testdata/local_ingest.ts";
import { connectErrorFromResponse, connectJsonFormat, EventClient, MemoryStorage } from "./mod.ts";

Deno.test("connect JSON client: stored once each with the web context; rejected reported; keepalive with the key in the query", async () => {
  const ingest = await startLocalIngest("web");
  try {
    const rejected: string[] = [];
    const storage = new MemoryStorage();
    const client = await EventClient.openWith(
      connectJsonFormat({
        baseUrl: ingest.httpUrl,
        writeKey: ingest.writeKey,
        channel: "CHANNEL_WEB",
        platform: "web",
        library: { name: "json-test", version: "1.0.0" },
      }),
      { storage, onRejected: (r) => rejected.push(`${r.field}: ${r.reason}`) },
    );
    const page = client.track({
      eventType: "page_view",
      web: { url: "https://shop.example/p?utm_source=news", path: "/p", pageTitle: "P" },
      properties: { n: 1 },
    });
    client.track({ eventType: "x".repeat(500) }); // over event_type's length limit
    const result = await client.flush();
    assert.equal(result.accepted, 1);
    assert.equal(result.rejected, 1);
    assert.match(rejected.join(), /event_type/);

    const later: EventJson[] = [client.track({ eventType: "click" })];
    later.push(client.track({ eventType: "page_hide" }));
    assert.equal(client.flushKeepalive({ maxBodyBytes: 400 }), 2, "both fit the total budget");
    await client.shutdown();
    assert.equal(client.stats.accepted, 3);
    assert.equal(JSON.parse((await storage.get("analytics_queue"))!).length, 0);

    // A reloaded page on the same storage: same anonymous id, same session (within 30 min).
    const reloaded = await EventClient.openWith(
      connectJsonFormat({
        baseUrl: ingest.httpUrl,
        writeKey: ingest.writeKey,
        channel: "CHANNEL_WEB",
      }),
      { storage },
    );
    assert.equal(reloaded.anonymousId, client.anonymousId);
    assert.equal(reloaded.sessionId, page.sessionId);
    later.push(reloaded.track({ eventType: "page_view" }));
    assert.equal(later[2].sessionId, page.sessionId);
    await reloaded.shutdown();

    await ingest.stop();
    const stored = await ingest.storedEvents();
    const ids = stored.map((e) => e.eventId).sort();
    assert.deepEqual(ids, [page.eventId!, ...later.map((e) => e.eventId!)].sort());
    const view = stored.find((e) => e.eventId === page.eventId)!;
    assert.equal(view.channel, Channel.WEB);
    assert.equal(view.platform, "web");
    assert.equal(view.sessionId, later[0].sessionId);
    assert.equal(view.anonymousId, client.anonymousId);
    assert.equal(view.client?.libraryName, "json-test");
    assert.equal(view.context.case, "web");
    assert.equal(view.context.value?.path, "/p");
    assert.equal(view.properties?.n, 1);
  } finally {
    await ingest.dispose();
  }
});

Deno.test("connect JSON client: a wrong key is reported once and not retried", async () => {
  const ingest = await startLocalIngest("web");
  try {
    const errors: unknown[] = [];
    const client = await EventClient.openWith(
      connectJsonFormat({ baseUrl: ingest.httpUrl, writeKey: "wk_wrong", channel: "CHANNEL_WEB" }),
      { onError: (error) => errors.push(error) },
    );
    client.track({ eventType: "page_view" });
    const result = await client.flush();
    assert.equal(result.retryError, undefined);
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as ConnectError).code, Code.Unauthenticated);
    assert.equal(client.stats.failed, 1);
    await client.shutdown();
  } finally {
    await ingest.dispose();
  }
});

Deno.test("connect JSON errors: the body's code, else the HTTP status as Connect maps it", () => {
  const body = JSON.stringify({ code: "resource_exhausted", message: "request too large" });
  const fromBody = connectErrorFromResponse(429, body);
  assert.equal(fromBody.code, Code.ResourceExhausted);
  assert.equal(fromBody.rawMessage, "request too large");
  assert.equal(connectErrorFromResponse(503, "<html>").code, Code.Unavailable);
  assert.equal(connectErrorFromResponse(401, "").code, Code.Unauthenticated);
  assert.equal(connectErrorFromResponse(500, '{"code":"nonsense"}').code, Code.Unknown);
});

Deno.test("connect JSON client: the keepalive flush stays under the browser's 64 KiB, split in bodies; the rest waits", async () => {
  const ingest = await startLocalIngest("web");
  try {
    const bodies: { bytes: number; keepalive: boolean; url: string }[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const bytes = new TextEncoder().encode(String(init?.body ?? "")).length;
      bodies.push({ bytes, keepalive: init?.keepalive === true, url: String(input) });
      return fetch(input, init);
    };
    const client = await EventClient.openWith(
      connectJsonFormat({
        baseUrl: ingest.httpUrl,
        writeKey: ingest.writeKey,
        channel: "CHANNEL_WEB",
        fetch: recordingFetch,
      }),
      { flushIntervalMs: 60_000 },
    );
    const ids = Array.from(
      { length: 100 },
      (_, i) =>
        client.track({ eventType: "scroll", properties: { i, text: "x".repeat(1000) } }).eventId!,
    );
    const sent = client.flushKeepalive();
    assert.ok(sent > 0 && sent < 100, `a part goes now (${sent}), the rest waits`);
    assert.ok(bodies.length >= 4, `split into several bodies (${bodies.length})`);
    for (const body of bodies) {
      assert.ok(body.keepalive);
      assert.match(body.url, /\?write_key=wk_/);
      assert.ok(body.bytes <= 16 * 1024 + 512, `a body of ${body.bytes} bytes`);
    }
    const total = bodies.reduce((sum, b) => sum + b.bytes, 0);
    assert.ok(total < 64 * 1024, `${total} bytes in flight, under keepalive's 64 KiB`);
    await client.shutdown(); // waits for the keepalive answers, then sends the rest
    assert.equal(client.stats.accepted, 100);
    await ingest.stop();
    const stored = (await ingest.storedEvents()).map((e) => e.eventId).sort();
    assert.deepEqual(stored, ids.sort());
  } finally {
    await ingest.dispose();
  }
});
