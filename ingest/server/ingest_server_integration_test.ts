import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import { IngestService, TrackStreamRequestSchema } from "@analytics/schema";
import { pageViews } from "./testdata/events.ts";
import { startTestServer } from "./testdata/start_test_server.ts";

const KEY = { authorization: "Bearer wk_test" };

Deno.test("Connect JSON and binary over HTTP/1.1 reach Track on the HTTP port", async () => {
  await using t = await startTestServer();
  for (const useBinaryFormat of [false, true]) {
    const client = createClient(
      IngestService,
      createConnectTransport({ baseUrl: t.httpUrl, httpVersion: "1.1", useBinaryFormat }),
    );
    const answer = await client.track({ events: pageViews(3) }, { headers: KEY });
    assert.equal(answer.accepted, 3);
    assert.equal(answer.results.length, 3);
  }
  assert.equal(t.seen.events.length, 6);
  assert.deepEqual(t.seen.authorization, ["Bearer wk_test", "Bearer wk_test"]);
  assert.deepEqual(t.seen.clientAddresses, ["127.0.0.1", "127.0.0.1"]);
});

Deno.test("gRPC-web over HTTP/1.1 reaches Track on the HTTP port", async () => {
  await using t = await startTestServer();
  const client = createClient(
    IngestService,
    createGrpcWebTransport({ baseUrl: t.httpUrl, httpVersion: "1.1" }),
  );
  const answer = await client.track({ events: pageViews(2) }, { headers: KEY });
  assert.equal(answer.accepted, 2);
  assert.equal(t.seen.authorization[0], "Bearer wk_test");
});

Deno.test("gRPC over h2c reaches Track and TrackStream on the gRPC port", async () => {
  await using t = await startTestServer();
  const client = createClient(IngestService, createGrpcTransport({ baseUrl: t.grpcUrl }));
  const unary = await client.track({ events: pageViews(4) }, { headers: KEY });
  assert.equal(unary.accepted, 4);
  const streamed = await client.trackStream(batches(3, 5), { headers: KEY });
  assert.equal(streamed.accepted, 15);
  assert.deepEqual(streamed.results.map((r) => r.index), [...Array(15).keys()]);
  assert.equal(t.seen.events.length, 19);
  assert.equal(t.seen.clientAddresses[0], "127.0.0.1");
});

Deno.test("Connect and gRPC-web over h2c serve TrackStream on the HTTP port", async () => {
  await using t = await startTestServer();
  for (const transport of [createConnectTransport, createGrpcWebTransport]) {
    const client = createClient(IngestService, transport({ baseUrl: t.httpUrl, httpVersion: "2" }));
    const streamed = await client.trackStream(batches(2, 3), { headers: KEY });
    assert.equal(streamed.accepted, 6);
  }
});

Deno.test("Connect client streaming also works over HTTP/1.1 (half duplex)", async () => {
  await using t = await startTestServer();
  const client = createClient(
    IngestService,
    createConnectTransport({ baseUrl: t.httpUrl, httpVersion: "1.1" }),
  );
  const streamed = await client.trackStream(batches(3, 2), { headers: KEY });
  assert.equal(streamed.accepted, 6);
  assert.equal(t.seen.events.length, 6);
});

Deno.test("gRPC on the HTTP port gets UNIMPLEMENTED naming the gRPC port", async () => {
  await using t = await startTestServer();
  const client = createClient(IngestService, createGrpcTransport({ baseUrl: t.httpUrl }));
  const error = await client.track({ events: pageViews(1) }).then(() => undefined, (e) => e);
  assert.ok(error instanceof ConnectError);
  assert.equal(error.code, Code.Unimplemented);
  assert.match(error.rawMessage, new RegExp(`port ${t.server.grpcPort}`));
});

Deno.test("GET /health answers ok; GET /ready follows the event log's readiness", async () => {
  let ready = true;
  await using t = await startTestServer({ isReady: () => Promise.resolve(ready) });
  const health = await fetch(`${t.httpUrl}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok" });
  const up = await fetch(`${t.httpUrl}/ready`);
  assert.equal(up.status, 200);
  assert.deepEqual(await up.json(), { status: "ready" });
  ready = false;
  const down = await fetch(`${t.httpUrl}/ready`);
  assert.equal(down.status, 503);
  assert.equal((await down.json()).status, "not ready");
});

Deno.test("a failing readiness check answers 503 and is logged", async () => {
  await using t = await startTestServer({ isReady: () => Promise.reject(new Error("disk gone")) });
  const down = await fetch(`${t.httpUrl}/ready`);
  assert.equal(down.status, 503);
  await down.body?.cancel();
  assert.ok(t.logs.some((l) => l.msg === "readiness check failed"));
});

Deno.test("unknown paths answer 404 and wrong methods 405", async () => {
  await using t = await startTestServer();
  const missing = await fetch(`${t.httpUrl}/nope`);
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /GET \/nope/);
  const wrong = await fetch(`${t.httpUrl}/health`, { method: "POST", body: "x" });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "GET, HEAD");
  await wrong.body?.cancel();
});

Deno.test("CORS preflight: an allowed origin gets the Connect and gRPC-web headers", async () => {
  await using t = await startTestServer();
  const answer = await fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
    method: "OPTIONS",
    headers: {
      Origin: "http://localhost:8080",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type,authorization,connect-protocol-version",
    },
  });
  await answer.body?.cancel();
  assert.equal(answer.status, 204);
  assert.equal(answer.headers.get("access-control-allow-origin"), "http://localhost:8080");
  const allowed = answer.headers.get("access-control-allow-headers")!.toLowerCase().split(", ");
  for (const h of ["content-type", "authorization", "connect-protocol-version", "x-grpc-web"]) {
    assert.ok(allowed.includes(h), `${h} missing from ${allowed}`);
  }
  assert.match(answer.headers.get("access-control-allow-methods")!, /POST/);
});

Deno.test("CORS preflight: an origin not on the allowlist gets 403 and no CORS headers", async () => {
  await using t = await startTestServer();
  const answer = await fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
    method: "OPTIONS",
    headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
  });
  assert.equal(answer.status, 403);
  assert.match(await answer.text(), /evil\.example is not allowed/);
  assert.equal(answer.headers.get("access-control-allow-origin"), null);
});

Deno.test("CORS: responses expose grpc-status to allowed origins only", async () => {
  await using t = await startTestServer();
  const call = (origin: string) =>
    fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/json", ...KEY },
      body: JSON.stringify({ events: [] }),
    });
  const allowed = await call("http://localhost:8080");
  await allowed.body?.cancel();
  assert.equal(allowed.headers.get("access-control-allow-origin"), "http://localhost:8080");
  assert.match(allowed.headers.get("access-control-expose-headers")!, /Grpc-Status/i);
  const other = await call("https://evil.example");
  await other.body?.cancel();
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  assert.equal(other.headers.get("access-control-expose-headers"), null);
});

Deno.test("a request over the size limit is resource_exhausted naming the limit, on every protocol", async () => {
  await using t = await startTestServer({ maxRequestBytes: 2048 });
  const big = pageViews(1);
  big[0].interactionText = "x".repeat(4096);
  const transports = [
    createConnectTransport({ baseUrl: t.httpUrl, httpVersion: "1.1" }),
    createConnectTransport({ baseUrl: t.httpUrl, httpVersion: "1.1", useBinaryFormat: true }),
    createGrpcWebTransport({ baseUrl: t.httpUrl, httpVersion: "1.1" }),
    createGrpcTransport({ baseUrl: t.grpcUrl }),
  ];
  for (const transport of transports) {
    const client = createClient(IngestService, transport);
    const error = await client.track({ events: big }, { headers: KEY }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(error instanceof ConnectError, `expected an error, got ${error}`);
    assert.equal(error.code, Code.ResourceExhausted, error.message);
    assert.match(error.rawMessage, /2048/);
  }
  assert.equal(t.seen.events.length, 0);
});

Deno.test("a chunked Connect body over the limit is cut with the limit's name", async () => {
  await using t = await startTestServer({ maxRequestBytes: 1024 });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(`{"events":[{"interactionText":"`));
      controller.enqueue(new TextEncoder().encode("y".repeat(2000)));
      controller.enqueue(new TextEncoder().encode(`"}]}`));
      controller.close();
    },
  });
  const answer = await fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  assert.equal(answer.status, 429); // Connect maps resource_exhausted to HTTP 429
  const error = await answer.json();
  assert.equal(error.code, "resource_exhausted");
  assert.match(error.message, /INGEST_MAX_REQUEST_BYTES/);
});

Deno.test("POST /analytics is 404 when no legacy source is configured", async () => {
  await using t = await startTestServer();
  const answer = await fetch(`${t.httpUrl}/analytics`, { method: "POST", body: "{}" });
  assert.equal(answer.status, 404);
  assert.match((await answer.json()).error, /not enabled/);
});

Deno.test("POST /analytics reaches the legacy handler; over the limit it is 413 naming the limit", async () => {
  const bodies: string[] = [];
  await using t = await startTestServer({
    maxRequestBytes: 1024,
    legacyAnalytics: async (request) => {
      bodies.push(await request.text());
      return Response.json({ success: true }, { status: 201 });
    },
  });
  const ok = await fetch(`${t.httpUrl}/analytics?write_key=abc`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "http://localhost:8080" },
    body: JSON.stringify({ event_type: "page_view", channel: "web", session_id: "s1" }),
  });
  assert.equal(ok.status, 201);
  assert.deepEqual(await ok.json(), { success: true });
  assert.equal(ok.headers.get("access-control-allow-origin"), "http://localhost:8080");
  assert.equal(JSON.parse(bodies[0]).session_id, "s1");
  const big = await fetch(`${t.httpUrl}/analytics`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ event_type: "x".repeat(2000) }),
  });
  assert.equal(big.status, 413);
  assert.match((await big.json()).error, /1024 bytes \(INGEST_MAX_REQUEST_BYTES\)/);
  assert.equal(bodies.length, 1);
});

async function* batches(count: number, size: number) {
  for (let i = 0; i < count; i++) {
    yield create(TrackStreamRequestSchema, { events: pageViews(size) });
  }
}
