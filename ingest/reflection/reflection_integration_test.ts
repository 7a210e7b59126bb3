import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as v1alpha from "../../proto/gen/es/grpc/reflection/v1alpha/reflection_pb.ts";
import { startTestServer } from "../server/testdata/start_test_server.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bufBin = `${repoRoot}node_modules/.bin/buf`;

async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  })
    .output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** grpcurl from PATH, GOBIN or ~/go/bin (`go install github.com/fullstorydev/grpcurl/cmd/grpcurl@latest`). */
function findGrpcurl(): string | undefined {
  const dirs = [
    ...(Deno.env.get("PATH") ?? "").split(":"),
    Deno.env.get("GOBIN"),
    `${Deno.env.get("GOPATH") ?? `${Deno.env.get("HOME")}/go`}/bin`,
  ];
  return dirs.filter(Boolean).map((d) => `${d}/grpcurl`).find((p) => existsSync(p));
}

Deno.test("buf curl lists the services' methods and sends an event by reflection (gRPC, h2c)", async () => {
  await using t = await startTestServer();
  const base = `http://127.0.0.1:${t.server.grpcPort}`;
  const list = await run(bufBin, [
    "curl",
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    "--reflect",
    "--list-methods",
    base,
  ]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /analytics\.v1\.IngestService\/Track\n/);
  assert.match(list.stdout, /analytics\.v1\.IngestService\/TrackStream/);

  const event = {
    eventId: "01890a5d-ac96-774b-bcce-b302099a8057",
    channel: "CHANNEL_WEB",
    eventType: "page_view",
    sessionId: "s-buf-curl",
    timestamp: "2025-01-01T00:00:00Z",
    web: { url: "https://shop.example/?utm_source=buf" },
  };
  const sent = await run(bufBin, [
    "curl",
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    "--reflect",
    "-H",
    "authorization: Bearer wk_test",
    "-d",
    JSON.stringify({ events: [event] }),
    `${base}/analytics.v1.IngestService/Track`,
  ]);
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal(JSON.parse(sent.stdout).accepted, 1);
  assert.equal(t.seen.events[0].eventId, event.eventId);
  assert.equal(t.seen.events[0].context.case, "web");
  assert.equal(t.seen.authorization[0], "Bearer wk_test");
});

Deno.test("buf curl reflects over Connect on the HTTP port too (h2c)", async () => {
  await using t = await startTestServer();
  const list = await run(bufBin, [
    "curl",
    "--protocol",
    "connect",
    "--http2-prior-knowledge",
    "--reflect",
    "--list-services",
    `http://127.0.0.1:${t.server.httpPort}`,
  ]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /analytics\.v1\.IngestService/);
});

const grpcurl = findGrpcurl();
const inCi = Deno.env.get("CI") === "true";
if (!grpcurl && !inCi) {
  console.warn(
    "SKIPPED grpcurl reflection test: grpcurl not found (go install " +
      "github.com/fullstorydev/grpcurl/cmd/grpcurl@latest); CI=true makes this a failure",
  );
}

Deno.test({
  name: "grpcurl lists and describes the services by reflection",
  ignore: !grpcurl && !inCi,
  async fn() {
    assert.ok(
      grpcurl,
      "grpcurl is required under CI=true: go install github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4",
    );
    await using t = await startTestServer();
    const target = `127.0.0.1:${t.server.grpcPort}`;
    const list = await run(grpcurl, ["-plaintext", target, "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split("\n").sort(), [
      "analytics.v1.IngestService",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
    const service = await run(grpcurl, [
      "-plaintext",
      target,
      "describe",
      "analytics.v1.IngestService",
    ]);
    assert.equal(service.code, 0, service.stderr);
    assert.match(
      service.stdout,
      /rpc TrackStream \( stream \.analytics\.v1\.TrackStreamRequest \)/,
    );
    const event = await run(grpcurl, ["-plaintext", target, "describe", "analytics.v1.Event"]);
    assert.equal(event.code, 0, event.stderr);
    assert.match(event.stdout, /\.google\.protobuf\.Timestamp timestamp = 22/);
    assert.match(event.stdout, /buf\.validate\.field/);

    const sent = await run(grpcurl, [
      "-plaintext",
      "-H",
      "authorization: Bearer wk_test",
      "-d",
      JSON.stringify({
        events: [{
          eventId: "01890a5d-ac96-774b-bcce-b302099a8058",
          channel: "CHANNEL_CHAT",
          eventType: "message",
          sessionId: "s-grpcurl",
          timestamp: "2025-01-01T00:00:00Z",
        }],
      }),
      target,
      "analytics.v1.IngestService/Track",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).accepted, 1);
  },
});

Deno.test("the v1alpha name answers like v1 (older clients)", async () => {
  await using t = await startTestServer();
  const client = createClient(
    v1alpha.ServerReflection,
    createGrpcTransport({ baseUrl: `http://127.0.0.1:${t.server.grpcPort}` }),
  );
  const answers = [];
  for await (
    const answer of client.serverReflectionInfo(
      (async function* () {
        yield create(v1alpha.ServerReflectionRequestSchema, {
          messageRequest: { case: "listServices", value: "" },
        });
        yield create(v1alpha.ServerReflectionRequestSchema, {
          messageRequest: { case: "fileContainingSymbol", value: "analytics.v1.Missing" },
        });
      })(),
    )
  ) answers.push(answer);
  assert.equal(answers[0].messageResponse.case, "listServicesResponse");
  assert.equal(answers[1].messageResponse.case, "errorResponse");
  assert.equal(answers[1].messageResponse.value?.errorCode, 5);
});
