import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Channel } from "@analytics/schema";
import { startLocalPipeline } from "../testdata/local_pipeline.ts";

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

/** Each example, the address it sends to (its client's default transport), its channel. */
const EXAMPLES = [
  { file: "./server_example.ts", port: "grpc", channel: Channel.SERVER, context: undefined },
  { file: "./agent_example.ts", port: "grpc", channel: Channel.AGENT, context: "agent" },
  { file: "./mobile_example.ts", port: "http", channel: Channel.MOBILE, context: "mobile" },
  { file: "./chat_example.ts", port: "grpc", channel: Channel.CHAT, context: "chat" },
  { file: "./speech_example.ts", port: "grpc", channel: Channel.SPEECH, context: "speech" },
] as const;

Deno.test("examples: every channel's session reaches a real ingest and is in the hot store once", async () => {
  const pipeline = await startLocalPipeline("server+agent+mobile+chat+speech");
  try {
    const printed: string[] = [];
    for (const example of EXAMPLES) {
      const url = example.port === "grpc" ? pipeline.grpcUrl : pipeline.httpUrl;
      const out = await runExample(example.file, url, pipeline.writeKey);
      const ids = [...out.matchAll(/ ([0-9a-f-]{36})$/gm)].map((m) => m[1]);
      assert.ok(ids.length >= 5, `${example.file} played a session:\n${out}`);
      assert.match(out, new RegExp(`^accepted=${ids.length} rejected=0$`, "m"));
      const stored = await pipeline.waitForEvents(ids);
      for (const event of stored) {
        assert.equal(event.channel, example.channel, `${example.file}: ${event.eventType}`);
        if (example.context) {
          assert.equal(event.context.case, example.context, `${example.file}: ${event.eventType}`);
        }
      }
      printed.push(...ids);
    }
    assert.equal(new Set(printed).size, printed.length);
    assert.equal(await pipeline.storedCount(), printed.length, "each event once, nothing else");
  } finally {
    await pipeline.dispose();
  }
});
