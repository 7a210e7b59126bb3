import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { openLocalLog } from "./stream/local/mod.ts";
import { EVENTS_TOPIC } from "./stream/topics.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

/** Starts `ingest/dev.ts` on free ports and reads its banner up to the buf curl command. */
async function startDev(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "ingest/dev.ts"],
    cwd: repoRoot,
    // The embedded mode, whatever services the test run exported (CI exports KAFKA_BROKERS).
    env: {
      DEV_DATA_DIR: dataDir,
      INGEST_HTTP_PORT: "0",
      INGEST_GRPC_PORT: "0",
      NO_COLOR: "1",
      KAFKA_BROKERS: "",
      DATABASE_URL: "",
      S3_ENDPOINT: "",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  while (!/\/analytics\.v1\.IngestService\/Track\n/.test(banner)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`dev.ts ended before its banner:\n${banner}\n${await stderr}`);
    banner += value;
  }
  reader.releaseLock();
  const rest = child.stdout.cancel().catch(() => {});
  return { child, banner, stderr, rest };
}

Deno.test("deno task dev: prints its ports, key and a buf curl command that stores an event", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dev-test-" });
  try {
    const dev = await startDev(dataDir);
    const key = dev.banner.match(/write key\s+(wk_\S+)/)![1];
    const httpUrl = dev.banner.match(/ingest http\s+(\S+)/)![1];
    assert.match(dev.banner, /event log\s+local/);
    assert.match(dev.banner, /source "dev-legacy"/);

    // The printed command, run as printed (with the repo's buf instead of npx).
    const end = "/analytics.v1.IngestService/Track";
    const command = dev.banner
      .slice(dev.banner.indexOf("npx buf curl"), dev.banner.indexOf(end) + end.length)
      .replace("npx buf", `${repoRoot}node_modules/.bin/buf`);
    const sent = await new Deno.Command("bash", {
      args: ["-c", command],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    assert.equal(sent.code, 0, new TextDecoder().decode(sent.stderr));
    const answer = JSON.parse(new TextDecoder().decode(sent.stdout));
    assert.equal(answer.accepted, 1);

    // The original product's endpoint works without a key in dev mode, CORS on for the demo site.
    const legacy = await fetch(`${httpUrl}/analytics`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "http://localhost:8080" },
      body: JSON.stringify({ event_type: "click", channel: "web", session_id: "dev-s2" }),
    });
    assert.equal(legacy.status, 200, await legacy.clone().text());
    assert.equal(legacy.headers.get("access-control-allow-origin"), "http://localhost:8080");
    await legacy.body?.cancel();

    // AdminService on the same port, with the printed dev admin key only (docs/privacy.md).
    const adminKey = dev.banner.match(/admin key\s+(ak_\S+)/)![1];
    const listSuppressed = (key?: string) =>
      fetch(`${httpUrl}/analytics.v1.AdminService/ListSuppressed`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: "{}",
      });
    const refused = await listSuppressed(key);
    assert.equal(refused.status, 403, "a write key is not an admin key");
    await refused.body?.cancel();
    const listed = await listSuppressed(adminKey);
    assert.equal(listed.status, 200, await listed.clone().text());
    await listed.body?.cancel();

    dev.child.kill("SIGTERM");
    const status = await dev.child.status;
    await dev.rest;
    assert.equal(status.code, 0, await dev.stderr);
    assert.match(await dev.stderr, /"msg":"stopped"/);

    // Both events are in the embedded log; the key survives a restart.
    const log = await openLocalLog({ dir: `${dataDir}/log` });
    const consumer = await log.consumer({ topic: EVENTS_TOPIC, group: "dev-test" });
    const records = await consumer.poll({ maxRecords: 10, maxWaitMs: 1000 });
    await log.close();
    const types = records.map((r) => fromBinary(EventSchema, r.value).eventType).sort();
    assert.deepEqual(types, ["click", "page_view"]);
    assert.equal(
      answer.results[0].eventId,
      records.map((r) => fromBinary(EventSchema, r.value))
        .find((e) => e.eventType === "page_view")!.eventId,
    );

    const again = await startDev(dataDir);
    assert.match(again.banner, new RegExp(`write key\\s+${key}`));
    again.child.kill("SIGTERM");
    assert.equal((await again.child.status).code, 0);
    await again.rest;
    await again.stderr;
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
