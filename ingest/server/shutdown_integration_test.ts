import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { IngestService } from "@analytics/schema";
import { pageViews } from "./testdata/events.ts";
import { startTestServer } from "./testdata/start_test_server.ts";

Deno.test("shutdown stops accepting, lets calls in flight finish, then resolves", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let arrived!: () => void;
  const bothArrived = new Promise<void>((resolve) => {
    let n = 0;
    arrived = () => ++n === 2 && resolve();
  });
  const t = await startTestServer({
    shutdownGraceMs: 30_000,
    gate: () => (arrived(), released),
  });
  const connect = createClient(
    IngestService,
    createConnectTransport({ baseUrl: t.httpUrl, httpVersion: "1.1" }),
  );
  const grpc = createClient(IngestService, createGrpcTransport({ baseUrl: t.grpcUrl }));
  const inFlight = [
    connect.track({ events: pageViews(1) }),
    grpc.track({ events: pageViews(2) }),
  ];
  await bothArrived;

  let stopped = false;
  const stopping = t.server.shutdown().then(() => stopped = true);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(stopped, false, "shutdown must wait for the calls in flight");
  await assert.rejects(fetch(`${t.httpUrl}/health`), "the HTTP port must stop accepting");
  const late = await createClient(IngestService, createGrpcTransport({ baseUrl: t.grpcUrl }))
    .track({ events: pageViews(1) }).then(() => undefined, (e) => e);
  assert.ok(late instanceof ConnectError && late.code === Code.Unavailable, `got ${late}`);

  release();
  const [a, b] = await Promise.all(inFlight);
  assert.equal(a.accepted, 1);
  assert.equal(b.accepted, 2);
  await stopping;
  assert.equal(stopped, true);
  await assert.rejects(
    createClient(IngestService, createGrpcTransport({ baseUrl: t.grpcUrl })).track({
      events: pageViews(1),
    }),
    (e) => e instanceof ConnectError && e.code === Code.Unavailable,
  );
});

Deno.test("past the grace period, calls still running are aborted and shutdown resolves", async () => {
  let arrived!: () => void;
  const callArrived = new Promise<void>((resolve) => arrived = resolve);
  const t = await startTestServer({
    shutdownGraceMs: 200,
    gate: () => (arrived(), new Promise(() => {})),
  });
  const grpc = createClient(IngestService, createGrpcTransport({ baseUrl: t.grpcUrl }));
  const stuck = grpc.track({ events: pageViews(1) }).then(() => undefined, (e) => e);
  await callArrived;
  await t.server.shutdown();
  const error = await stuck;
  assert.ok(error instanceof ConnectError, `expected an error, got ${error}`);
  assert.equal(t.seen.events.length, 0);
});
