import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@analytics/schema";
import { openLocalLog } from "./stream/local/mod.ts";
import { EVENTS_TOPIC } from "./stream/topics.ts";
import { startDevProcess } from "./testdata/dev_process.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

Deno.test("deno task dev: prints its ports, key and a buf curl command that stores an event", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dev-test-" });
  try {
    await using dev = await startDevProcess(dataDir);
    const { key, httpUrl } = dev;
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

    // The original product's endpoint works without a key in dev mode, CORS on for the demo site
    // (on a free port here, 8080 by default).
    const siteOrigin = `http://localhost:${new URL(dev.siteUrl).port}`;
    const legacy = await fetch(`${httpUrl}/analytics`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: siteOrigin },
      body: JSON.stringify({ event_type: "click", channel: "web", session_id: "dev-s2" }),
    });
    assert.equal(legacy.status, 200, await legacy.clone().text());
    assert.equal(legacy.headers.get("access-control-allow-origin"), siteOrigin);
    await legacy.body?.cancel();

    // AdminService on the same port, with the printed dev admin key only (docs/privacy.md).
    const adminKey = dev.adminKey;
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

    const stopped = await dev.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stderr, /"msg":"stopped"/);

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

    await using again = await startDevProcess(dataDir);
    assert.equal(again.key, key);
    assert.equal((await again.stop()).code, 0);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
