import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Channel } from "@analytics/schema";
import { startLocalIngest } from "../testdata/local_ingest.ts";

/** Runs an example as its own process against `url` with `writeKey`; returns its output. */
async function runExample(file: string, url: string, writeKey: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fileURLToPath(new URL(file, import.meta.url))],
    env: { ANALYTICS_URL: url, ANALYTICS_WRITE_KEY: writeKey, EXAMPLE_PACE_MS: "0", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.ok(output.success, `${file}: ${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  return stdout;
}

Deno.test("examples: the server and agent sessions reach a real ingest, every event once", async () => {
  const ingest = await startLocalIngest("server+agent");
  try {
    const printed: string[] = [];
    for (const file of ["./server_example.ts", "./agent_example.ts"]) {
      const out = await runExample(file, ingest.grpcUrl, ingest.writeKey);
      const ids = [...out.matchAll(/ ([0-9a-f-]{36})$/gm)].map((m) => m[1]);
      assert.match(out, new RegExp(`^accepted=${ids.length} rejected=0$`, "m"));
      printed.push(...ids);
    }
    await ingest.stop();
    const stored = await ingest.storedEvents();
    assert.deepEqual(stored.map((e) => e.eventId).sort(), printed.sort());
    const channels = new Set(stored.map((e) => e.channel));
    assert.deepEqual([...channels].sort(), [Channel.AGENT, Channel.SERVER]);
  } finally {
    await ingest.dispose();
  }
});
