import assert from "node:assert/strict";
import { parseCliOptions, parseDuration } from "./cli_options.ts";

const noEnv = () => undefined;

Deno.test("parseCliOptions: every option lands in LoadOptions", () => {
  const cli = parseCliOptions([
    "--protocol=connect",
    "--url",
    "http://127.0.0.1:9999",
    "--http",
    "2",
    "--method",
    "stream",
    "--stream-batches",
    "4",
    "--rate",
    "5000",
    "--duration",
    "2m",
    "--concurrency",
    "16",
    "--batch",
    "250",
    "--channels",
    "web,agent",
    "--ledger",
    "/tmp/l",
    "--seed",
    "3",
    "--json",
  ], noEnv);
  assert.equal(cli.json, true);
  assert.deepEqual(cli.load, {
    protocol: "connect",
    url: "http://127.0.0.1:9999",
    httpVersion: "2",
    method: "stream",
    streamBatches: 4,
    rate: 5000,
    durationMs: 120_000,
    events: undefined,
    concurrency: 16,
    batch: 250,
    channels: ["web", "agent"],
    writeKey: undefined,
    ledgerPath: "/tmp/l",
    seed: 3,
  });
});

Deno.test("parseCliOptions: the write key comes from WRITE_KEY unless given", () => {
  const env = (name: string) => (name === "WRITE_KEY" ? "wk_env" : undefined);
  assert.equal(parseCliOptions([], env).load.writeKey, "wk_env");
  assert.equal(parseCliOptions(["--write-key", "wk_arg"], env).load.writeKey, "wk_arg");
});

Deno.test("parseCliOptions: errors name the option", () => {
  assert.throws(() => parseCliOptions(["--protocol", "soap"], noEnv), /--protocol/);
  assert.throws(() => parseCliOptions(["--batch", "501"], noEnv), /--batch/);
  assert.throws(() => parseCliOptions(["--events", "x"], noEnv), /--events/);
  assert.throws(() => parseCliOptions(["--rate", "-1"], noEnv), /--rate/);
  assert.throws(() => parseCliOptions(["--channels", "fax"], noEnv), /unknown channel "fax"/);
  assert.throws(() => parseCliOptions(["--bogus"], noEnv), /bogus/);
});

Deno.test("parseDuration: seconds by default, ms, s and m suffixes", () => {
  assert.equal(parseDuration("30"), 30_000);
  assert.equal(parseDuration("1.5s"), 1_500);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("2m"), 120_000);
  assert.throws(() => parseDuration("soon"), /--duration/);
});
