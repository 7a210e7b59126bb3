import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { DATABASE_URL, IGNORE_POSTGRES } from "../timescale/testing/test_targets.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Runs a sink program until it exits or logs a line matching `until`, then stops it. */
async function runSink(
  program: string,
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number; output: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", program],
    cwd: REPO,
    env: {
      NO_COLOR: "1",
      LOG_LEVEL: "debug",
      SINK_HTTP_PORT: "0",
      KAFKA_BROKERS: "",
      DATABASE_URL: "",
      S3_ENDPOINT: "",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  let stopping = false;
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      output += chunk;
      if (!stopping && until?.test(output)) {
        stopping = true;
        child.kill("SIGTERM");
      }
    }
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    await Promise.all([read(child.stdout), read(child.stderr)]);
    return { code: (await child.status).code, output };
  } finally {
    clearTimeout(timer);
  }
}

const secret = () => `pw${randomBytes(12).toString("hex")}`;

/** DATABASE_URL with its password replaced by `password`. */
function withPassword(url: string, password: string, port?: number): string {
  const parsed = new URL(url);
  parsed.password = password;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

Deno.test({
  name: "the hot sink never logs its database password: refused connection, wrong password",
  ignore: IGNORE_POSTGRES,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sink-credentials-" });
    try {
      for (const [what, port] of [["connection refused", 1], ["wrong password", undefined]]) {
        const password = secret();
        const run = await runSink("sinks/timescale/main.ts", {
          DATABASE_URL: withPassword(DATABASE_URL, password, port as number | undefined),
          INGEST_LOG_DIR: `${dir}/log`,
        });
        assert.notEqual(run.code, 0, `${what}: the sink should fail\n${run.output}`);
        assert.match(run.output, port ? /ECONNREFUSED/ : /password authentication failed/);
        assert.ok(!run.output.includes(password), `${what}: the password is in the output`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the hot sink never logs its database URL when it runs",
  ignore: IGNORE_POSTGRES,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sink-credentials-" });
    const schema = `creds_${randomBytes(6).toString("hex")}`;
    const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`CREATE SCHEMA ${schema}`);
      const url = `${DATABASE_URL}${DATABASE_URL.includes("?") ? "&" : "?"}search_path=${schema}`;
      const run = await runSink("sinks/timescale/main.ts", {
        DATABASE_URL: url,
        INGEST_LOG_DIR: `${dir}/log`,
      }, /"msg":"hot sink started"/);
      assert.equal(run.code, 0, run.output.slice(-2000));
      const password = new URL(DATABASE_URL).password;
      assert.ok(password !== "", "the test database URL has a password");
      assert.ok(!run.output.includes(`:${password}@`), "the database URL is in the output");
      assert.ok(!/postgres(ql)?:\/\/[^\s"]*:[^\s"]*@/.test(run.output), "a URL with credentials");
    } finally {
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the lake sink never logs its S3 secret key: unreachable store, wrong secret", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sink-credentials-" });
  // The shared S3 server when the run has one (CI exports it), else only the unreachable case.
  const endpoints: [string, RegExp][] = [["http://127.0.0.1:1", /ECONNREFUSED/]];
  const shared = Deno.env.get("S3_ENDPOINT");
  if (shared) endpoints.push([shared, /SignatureDoesNotMatch|AccessDenied|InvalidAccessKeyId|403/]);
  try {
    for (const [endpoint, expected] of endpoints) {
      const secretKey = secret();
      const run = await runSink("sinks/delta/main.ts", {
        S3_ENDPOINT: endpoint,
        S3_BUCKET: Deno.env.get("S3_BUCKET") ?? "analytics",
        S3_REGION: "us-east-1",
        S3_PREFIX: `credentials-test-${randomBytes(4).toString("hex")}`,
        AWS_ACCESS_KEY_ID: Deno.env.get("AWS_ACCESS_KEY_ID") ?? "analytics-test",
        AWS_SECRET_ACCESS_KEY: secretKey,
        INGEST_LOG_DIR: `${dir}/log`,
        DELTA_LOCAL_CACHE_DIR: `${dir}/cache`,
      });
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, expected);
      assert.ok(!run.output.includes(secretKey), `${endpoint}: the secret key is in the output`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
