import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createLogger } from "./logger.ts";

const fixedClock = () => new Date("2025-01-02T03:04:05.678Z");

Deno.test("createLogger writes one JSON object per line with level, time, msg and fields", () => {
  const lines: string[] = [];
  const log = createLogger({
    fields: { service: "ingest" },
    write: (l) => lines.push(l),
    now: fixedClock,
  });
  log.info("listening", { port: 3001 });
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]), {
    level: "info",
    time: "2025-01-02T03:04:05.678Z",
    msg: "listening",
    service: "ingest",
    port: 3001,
  });
});

Deno.test("createLogger drops lines below its level", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l) });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ["w", "e"]);
});

Deno.test("child loggers add fields; a line's fields cannot overwrite level, time or msg", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: fixedClock }).child({
    component: "grpc",
  });
  log.warn("slow", { level: "debug", msg: "other", component: "override" });
  const line = JSON.parse(lines[0]);
  assert.equal(line.level, "warn");
  assert.equal(line.msg, "slow");
  assert.equal(line.component, "override");
});

Deno.test("errors, bigints and bytes are written as JSON", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l) });
  const cause = new Error("broker down");
  log.error("publish failed", {
    err: new Error("timeout", { cause }),
    offset: 12345678901234567890n,
    value: new Uint8Array(3),
  });
  const line = JSON.parse(lines[0]);
  assert.equal(line.err.message, "timeout");
  assert.equal(line.err.cause.message, "broker down");
  assert.match(line.err.stack, /timeout/);
  assert.equal(line.offset, "12345678901234567890");
  assert.equal(line.value, "<3 bytes>");
});

Deno.test("a line written inside an active span carries its trace and span ids (OTEL_DENO=true)", async () => {
  const script = fileURLToPath(new URL("./testdata/log_in_span.ts", import.meta.url));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    env: { OTEL_DENO: "true", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const [inside, outside] = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.match(inside.trace_id, /^[0-9a-f]{32}$/);
  assert.match(inside.span_id, /^[0-9a-f]{16}$/);
  assert.equal(inside.trace_id, inside.expected_trace_id);
  assert.equal(outside.trace_id, undefined);
});
