/**
 * Each of our programs, started natively from its image's application folder rebuilt without
 * Docker (image_layout.ts: the Dockerfile's production `npm ci`, its COPYs, its `deno cache` into
 * an empty DENO_DIR), with the image's `deno run` flags and compose's command, and with exactly
 * the environment compose.yaml gives it under the dev profile, the addresses rewritten to
 * the native deploy/ services on 127.0.0.1, comes up and passes its readiness check, then stops
 * on SIGTERM with status 0. Needs `bash deploy/up.sh kafka postgres s3`; under CI=true a missing
 * service fails the test, elsewhere the test is ignored with a warning.
 *
 * Rewritten, and why: service host names → 127.0.0.1 and the native ports; 0.0.0.0 → 127.0.0.1
 * (tests bind only to loopback); listener ports → free ones (other tests run at the same time);
 * the topic, consumer groups, PostgreSQL schema, S3 prefix and lake cache → unique to this run;
 * TIMESCALEDB on → auto, because the extension is not packaged here (hot-store.md).
 */
import { equal, ok } from "node:assert/strict";
import postgres from "postgres";
import { parseEnvFile, readCompose, serviceEnvironment } from "./compose/compose_file.ts";
import { checkHealth } from "./images/healthcheck.ts";
import { type Dockerfile, readDockerfile } from "./images/dockerfile.ts";
import { assembleApp, cacheModules, installDependencies } from "./images/image_layout.ts";
import { nativeDefaults } from "./native_defaults.ts";
import { ENTRY_POINTS, type Program, PROGRAMS } from "./program_env.ts";
import { freePort } from "../ingest/testdata/free_port.ts";

const root = new URL("../", import.meta.url);
const native = await nativeDefaults();
const devEnv = parseEnvFile(await Deno.readTextFile(new URL("deploy/compose/dev.env", root)));
const compose = await readCompose();
const databaseUrl =
  `postgres://${native.POSTGRES_ROLE}:${native.POSTGRES_PASSWORD}@127.0.0.1:${native.POSTGRES_PORT}/${native.POSTGRES_DATABASE}`;

async function tcpOpen(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

const missing: string[] = [];
for (
  const [name, port] of [
    ["Kafka", native.KAFKA_BROKER_PORT],
    ["PostgreSQL", native.POSTGRES_PORT],
    ["S3", native.S3_PORT],
  ] as const
) {
  if (!(await tcpOpen(Number(port)))) missing.push(`${name} on 127.0.0.1:${port}`);
}
if (missing.length && Deno.env.get("CI") !== "true") {
  console.warn(
    `compose_env_integration_test ignored: start ${missing.join(", ")} (bash deploy/up.sh)`,
  );
}

/** The Dockerfile of a program's image. */
function imageOf(program: Program): Promise<Dockerfile> {
  return readDockerfile(program === "ingest" ? "ingest.Dockerfile" : "sinks.Dockerfile");
}

/** The program's command in compose (the sinks' image runs either sink), else the image's CMD. */
function commandOf(program: Program, image: Dockerfile): string[] {
  const command = compose.services[program].command;
  return Array.isArray(command) ? command : image.cmd;
}

/** Compose's environment of `program` with the rewrites described above. */
function nativeEnvironment(
  program: Program,
  run: { id: string; schema: string; cacheDir: string; otlpPort: number },
): { env: Record<string, string>; readyPort: number } {
  const env = serviceEnvironment(compose.services[program], devEnv);
  const rewritten: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    rewritten[name] = value
      .replaceAll("kafka:9092", `127.0.0.1:${native.KAFKA_BROKER_PORT}`)
      .replaceAll("timescaledb:5432", `127.0.0.1:${native.POSTGRES_PORT}`)
      .replaceAll("http://seaweedfs:8333", `http://127.0.0.1:${native.S3_PORT}`)
      .replaceAll("otel-collector:4318", `127.0.0.1:${run.otlpPort}`)
      .replace(/^0\.0\.0\.0$/, "127.0.0.1");
  }
  const rename = (name: string, value: string) => {
    ok(name in rewritten, `${program}: compose does not set ${name}`);
    rewritten[name] = value;
  };
  rename("KAFKA_EVENTS_TOPIC", `compose-env-${run.id}`);
  let readyPort: number;
  if (program === "ingest") {
    readyPort = freePort();
    rename("INGEST_HTTP_PORT", String(readyPort));
    rename("INGEST_GRPC_PORT", String(freePort()));
  } else {
    readyPort = freePort();
    rename("SINK_HTTP_PORT", String(readyPort));
    rename("KAFKA_GROUP_ID", `${rewritten.KAFKA_GROUP_ID}-${run.id}`);
  }
  if (program === "sink-timescale") {
    rename("DATABASE_URL", `${rewritten.DATABASE_URL}?search_path=${run.schema}`);
    rename("TIMESCALEDB", "auto");
  }
  if (program === "sink-delta") {
    rename("S3_PREFIX", `compose-env-${run.id}`);
    rename("DELTA_LOCAL_CACHE_DIR", run.cacheDir);
  }
  return { env: rewritten, readyPort };
}

Deno.test({
  name: "each program starts natively with compose's environment and passes /ready",
  ignore: missing.length > 0 && Deno.env.get("CI") !== "true",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    equal(missing.length, 0, `services missing: ${missing.join(", ")}`);
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const schema = `compose_env_${id}`;
    const cacheDir = await Deno.makeTempDir({ prefix: "compose-env-cache-" });
    const logDir = await Deno.makeTempDir({ prefix: "compose-env-logs-" });
    const run = { id, schema, cacheDir, otlpPort: freePort() };
    const work = await Deno.makeTempDir({ prefix: "compose-env-images-" });
    const deps = `${work}/deps`;
    await Deno.mkdir(deps);
    await installDependencies(await imageOf("ingest"), deps);
    const apps = new Map<string, { app: string; denoDir: string }>();
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const children: { program: Program; child: Deno.ChildProcess; log: string }[] = [];
    try {
      for (const program of PROGRAMS) {
        const { env, readyPort } = nativeEnvironment(program, run);
        const log = `${logDir}/${program}.log`;
        const file = await Deno.open(log, { write: true, create: true });
        const keep = ["PATH", "HOME"].filter((name) => Deno.env.get(name));
        const image = await imageOf(program);
        const key = image.from.join() + image.copied.join();
        if (!apps.has(key)) {
          const app = `${work}/app-${apps.size}`;
          const denoDir = `${work}/deno-dir-${apps.size}`;
          await assembleApp(image, app, `${deps}/node_modules`);
          await cacheModules(image, app, denoDir);
          apps.set(key, { app, denoDir });
        }
        const { app, denoDir } = apps.get(key)!;
        const command = commandOf(program, image);
        equal(command.at(-1), ENTRY_POINTS[program]);
        equal(image.entrypoint.slice(0, 2).join(" "), "deno run");
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", ...image.entrypoint.slice(2), ...command],
          cwd: app,
          clearEnv: true,
          env: {
            ...Object.fromEntries(keep.map((n) => [n, Deno.env.get(n)!])),
            DENO_DIR: denoDir,
            ...env,
          },
          stdin: "null",
          stdout: "null",
          stderr: "piped",
        }).spawn();
        child.stderr.pipeTo(file.writable);
        children.push({ program, child, log });
        const url = `http://127.0.0.1:${readyPort}/ready`;
        const deadline = Date.now() + 90_000;
        let problem: string | null = "not tried";
        while (Date.now() < deadline) {
          problem = await checkHealth(url, 2_000);
          if (problem === null) break;
          const exited = await Promise.race([
            child.status.then((s) => s),
            new Promise<null>((resolve) => setTimeout(() => resolve(null), 500)),
          ]);
          if (exited) break;
        }
        const tail = async () => (await Deno.readTextFile(log)).split("\n").slice(-15).join("\n");
        equal(problem, null, `${program} never became ready: ${problem}\n${await tail()}`);
      }
      for (const { program, child, log } of children.reverse()) {
        child.kill("SIGTERM");
        const status = await child.status;
        equal(status.code, 0, `${program} exited ${status.code}:\n${await Deno.readTextFile(log)}`);
      }
      children.length = 0;
    } finally {
      for (const { child } of children) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await child.status;
      }
      await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await Deno.remove(cacheDir, { recursive: true });
      await Deno.remove(logDir, { recursive: true });
      await Deno.remove(work, { recursive: true });
    }
  },
});
