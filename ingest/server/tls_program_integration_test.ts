import assert from "node:assert/strict";
import * as http2 from "node:http2";
import * as https from "node:https";
import * as tls from "node:tls";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { EventSchema, IngestService } from "@analytics/schema";
import { hashWriteKey, newWriteKey } from "../auth/key_hash.ts";
import { openLocalLog } from "../stream/local/mod.ts";
import { EVENTS_TOPIC } from "../stream/topics.ts";
import { startIngestProcess } from "../testdata/ingest_process.ts";
import { pageViews } from "./testdata/events.ts";
import { selfSignedCertificate } from "./testdata/self_signed.ts";

const bufBin = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));

Deno.test("the ingest program with TLS serves every protocol on one port (ALPN: h2 and HTTP/1.1)", async () => {
  const cert = await selfSignedCertificate();
  const key = newWriteKey();
  try {
    const ingest = await startIngestProcess({
      INGEST_LOG_DIR: `${cert.dir}/log`,
      INGEST_TLS_CERT_FILE: `${cert.dir}/cert.pem`,
      INGEST_TLS_KEY_FILE: `${cert.dir}/key.pem`,
      INGEST_WRITE_KEYS: `site:${hashWriteKey(key)}`,
      INGEST_LEGACY_SOURCE: "legacy",
    });
    let stopped = false;
    try {
      const listening = ingest.lines().filter((l) =>
        typeof l === "object" && l.msg === "listening"
      );
      assert.deepEqual(listening.map((l) => (l as Record<string, unknown>).listener), ["tls"]);
      const port = new URL(ingest.httpUrl).port;
      const baseUrl = `https://localhost:${port}`;

      // ALPN offers both; a client asking for h2 gets it, an HTTP/1.1-only client gets 1.1.
      assert.equal(await alpn(port, cert.cert, ["h2", "http/1.1"]), "h2");
      assert.equal(await alpn(port, cert.cert, ["http/1.1"]), "http/1.1");

      const nodeOptions = { ca: cert.cert };
      const session = new Http2SessionManager(baseUrl, undefined, nodeOptions);
      const transports = {
        "Connect JSON 1.1": createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
        "Connect binary 1.1": createConnectTransport({
          baseUrl,
          httpVersion: "1.1",
          useBinaryFormat: true,
          nodeOptions,
        }),
        "Connect JSON h2": createConnectTransport({
          baseUrl,
          httpVersion: "2",
          sessionManager: session,
        }),
        "Connect binary h2": createConnectTransport({
          baseUrl,
          httpVersion: "2",
          useBinaryFormat: true,
          sessionManager: session,
        }),
        "gRPC-web 1.1": createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions }),
        "gRPC-web h2": createGrpcWebTransport({
          baseUrl,
          httpVersion: "2",
          sessionManager: session,
        }),
        "gRPC h2": createGrpcTransport({ baseUrl, sessionManager: session }),
      };
      const accepted: string[] = [];
      for (const [name, transport] of Object.entries(transports)) {
        const events = pageViews(2);
        const answer = await createClient(IngestService, transport).track({ events }, {
          headers: { authorization: `Bearer ${key}` },
        });
        assert.equal(answer.accepted, 2, `${name}: ${JSON.stringify(answer.results)}`);
        accepted.push(...events.map((e) => e.eventId));
      }

      // Plain HTTP endpoints, over both HTTP versions.
      const legacyBody = JSON.stringify({ event_type: "click", channel: "web", session_id: "s" });
      const h1Legacy = await http1(`${baseUrl}/analytics`, cert.cert, "POST", legacyBody);
      assert.equal(h1Legacy.status, 200, h1Legacy.body);
      accepted.push(JSON.parse(h1Legacy.body).event_id);
      const h2Legacy = await h2Request(baseUrl, cert.cert, "/analytics", "POST", legacyBody);
      assert.equal(h2Legacy.status, 200, h2Legacy.body);
      accepted.push(JSON.parse(h2Legacy.body).event_id);
      for (const path of ["/health", "/ready"]) {
        assert.equal((await http1(`${baseUrl}${path}`, cert.cert)).status, 200, `1.1 ${path}`);
        assert.equal((await h2Request(baseUrl, cert.cert, path)).status, 200, `h2 ${path}`);
      }

      // Reflection (bidi streaming, so HTTP/2) with buf curl trusting the test CA.
      const list = await new Deno.Command(bufBin, {
        args: ["curl", "--cacert", `${cert.dir}/cert.pem`, "--reflect", "--list-methods", baseUrl],
        env: { NO_COLOR: "1" },
      }).output();
      const listed = new TextDecoder().decode(list.stdout);
      assert.equal(list.code, 0, new TextDecoder().decode(list.stderr));
      assert.match(listed, /analytics\.v1\.IngestService\/TrackStream/);

      // A client that does not trust the certificate is refused by the TLS handshake.
      const untrusted = await http1(`${baseUrl}/health`, undefined).then(
        () => "connected",
        (error: Error) => error.message,
      );
      assert.match(untrusted, /certificate/i);

      session.abort();
      assert.equal(await ingest.stop(), 0);
      stopped = true;

      const log = await openLocalLog({ dir: `${cert.dir}/log` });
      const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "tls-test" });
      const records = await consumer.poll({ maxRecords: 100, maxWaitMs: 1000 });
      await log.close();
      const stored = records.map((r) => fromBinary(EventSchema, r.value).eventId);
      assert.deepEqual(stored.sort(), accepted.sort());
    } finally {
      if (!stopped) await ingest.stop();
    }
  } finally {
    await Deno.remove(cert.dir, { recursive: true });
  }
});

/** The protocol ALPN picks when a client offers `protocols`. */
function alpn(port: string, ca: string, protocols: string[]): Promise<string | false> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      servername: "localhost",
      port: Number(port),
      ca,
      ALPNProtocols: protocols,
    }, () => {
      const chosen = socket.alpnProtocol;
      socket.end();
      resolve(chosen ?? false);
    });
    socket.on("error", reject);
  });
}

/** One HTTP/1.1 request over TLS (no keep-alive). */
function http1(
  url: string,
  ca: string | undefined,
  method = "GET",
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method,
      ca,
      agent: false,
      headers: body ? { "content-type": "application/json" } : {},
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => text += chunk);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** One HTTP/2 request over TLS, on a session closed afterwards. */
function h2Request(
  baseUrl: string,
  ca: string,
  path: string,
  method = "GET",
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl, { ca });
    session.on("error", reject);
    const stream = session.request({
      ":method": method,
      ":path": path,
      ...(body ? { "content-type": "application/json" } : {}),
    });
    let status = 0;
    let text = "";
    stream.setEncoding("utf8");
    stream.on("response", (headers) => status = Number(headers[":status"]));
    stream.on("data", (chunk) => text += chunk);
    stream.on("end", () => {
      session.close();
      resolve({ status, body: text });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}
