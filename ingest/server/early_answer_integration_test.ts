/**
 * A request refused before its body is read (declared too large) still gets its answer over
 * HTTP/1.1: the listener reads and discards the rest of a bounded body before answering, so the
 * connection is not closed under a client that is still sending (found by the fuzzer: multi-MiB
 * uploads lost their 413 / resource_exhausted answer).
 */
import assert from "node:assert/strict";
import { startTestServer } from "./testdata/start_test_server.ts";

const BIG = new Uint8Array(6 * 1024 * 1024).fill(0x61);

Deno.test("a multi-MiB POST /analytics over HTTP/1.1 gets its 413 naming the limit", async () => {
  await using t = await startTestServer({
    legacyAnalytics: () => Promise.resolve(Response.json({ success: true })),
  });
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(`${t.httpUrl}/analytics`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: BIG,
    });
    assert.equal(answer.status, 413);
    assert.match((await answer.json()).error, /INGEST_MAX_REQUEST_BYTES/);
  }
});

Deno.test("a multi-MiB Connect call over HTTP/1.1 gets resource_exhausted naming the limit", async () => {
  await using t = await startTestServer();
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
      method: "POST",
      headers: { "Content-Type": "application/json", authorization: "Bearer wk_test" },
      body: BIG,
    });
    assert.equal(answer.status, 429);
    const body = await answer.json();
    assert.equal(body.code, "resource_exhausted");
    assert.match(body.message, /INGEST_MAX_REQUEST_BYTES/);
  }
});

Deno.test("a multi-MiB gRPC-web call over HTTP/1.1 gets resource_exhausted naming the limit", async () => {
  await using t = await startTestServer();
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(`${t.httpUrl}/analytics.v1.IngestService/Track`, {
      method: "POST",
      headers: { "Content-Type": "application/grpc-web+proto", authorization: "Bearer wk_test" },
      body: BIG,
    });
    // gRPC-web carries the status in the trailer frame of a 200.
    assert.equal(answer.status, 200);
    const trailer = new TextDecoder().decode(await answer.arrayBuffer());
    assert.match(trailer, /grpc-status: 8/);
    assert.match(decodeURIComponent(trailer), /INGEST_MAX_REQUEST_BYTES/);
  }
});
