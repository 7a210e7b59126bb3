import assert from "node:assert/strict";
import * as https from "node:https";
import { createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import { IngestService, TrackStreamRequestSchema } from "@analytics/schema";
import { pageViews } from "./testdata/events.ts";
import { selfSignedCertificate } from "./testdata/self_signed.ts";
import { startTestServer } from "./testdata/start_test_server.ts";

Deno.test("with TLS one port serves gRPC, Connect and gRPC-web over HTTP/2 and HTTP/1.1", async () => {
  const tls = await selfSignedCertificate();
  try {
    await using t = await startTestServer({ tls: { cert: tls.cert, key: tls.key, port: 0 } });
    assert.equal(t.server.listeners.length, 1);
    assert.equal(t.server.httpPort, t.server.grpcPort);
    const baseUrl = `https://localhost:${t.server.httpPort}`;
    const nodeOptions = { ca: tls.cert };
    const transports = {
      "gRPC h2": createGrpcTransport({ baseUrl, nodeOptions }),
      "Connect h2": createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions }),
      "Connect 1.1": createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
      "gRPC-web 1.1": createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
      "gRPC-web h2": createGrpcWebTransport({ baseUrl, httpVersion: "2", nodeOptions }),
    };
    for (const [name, transport] of Object.entries(transports)) {
      const client = createClient(IngestService, transport);
      const answer = await client.track({ events: pageViews(2) });
      assert.equal(answer.accepted, 2, name);
    }
    const grpc = createClient(IngestService, transports["gRPC h2"]);
    const streamed = await grpc.trackStream(
      (async function* () {
        yield create(TrackStreamRequestSchema, { events: pageViews(3) });
        yield create(TrackStreamRequestSchema, { events: pageViews(3) });
      })(),
    );
    assert.equal(streamed.accepted, 6);
    assert.equal(t.seen.events.length, 16);
    assert.equal(t.seen.clientAddresses[0], "127.0.0.1");

    // Plain HTTP/1.1 endpoints and CORS on the same port.
    const health = await http1Get(`${baseUrl}/health`, tls.cert, {
      Origin: "http://localhost:8080",
    });
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: "ok" });
    assert.equal(health.headers["access-control-allow-origin"], "http://localhost:8080");
    const missing = await http1Get(`${baseUrl}/nope`, tls.cert);
    assert.equal(missing.status, 404);
  } finally {
    await Deno.remove(tls.dir, { recursive: true });
  }
});

function http1Get(
  url: string,
  ca: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => body += chunk);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}
