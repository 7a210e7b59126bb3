/**
 * compose.yaml through compose-go (Go module github.com/compose-spec/compose-go/v2, the loader
 * docker compose itself uses, with the current specification's schema): `go run` of the small
 * program in ./validate. Needs the Go toolchain (and the Go module proxy, or a warm module cache,
 * the first time); without `go` the tests are ignored with a warning, except under CI=true.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { parseEnvFile, readCompose, serviceEnvironment } from "./compose_file.ts";
import { PROGRAMS } from "../program_env.ts";

const validateDir = new URL("./validate/", import.meta.url);
const composePath = new URL("../../compose.yaml", import.meta.url).pathname;
const devEnvPath = new URL("./dev.env", import.meta.url).pathname;
const examplePath = new URL("../../.env.example", import.meta.url).pathname;

function goAvailable(): boolean {
  try {
    return new Deno.Command("go", { args: ["version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
const hasGo = goAvailable();
const ignore = !hasGo && Deno.env.get("CI") !== "true";
if (ignore) console.warn("compose_go_test ignored: the Go toolchain is not installed");

/** Runs the validator; returns its exit code, the project (when valid) and stderr. */
async function composeGo(envFile?: string) {
  const args = ["run", ".", ...(envFile ? ["-env-file", envFile] : []), composePath];
  const output = await new Deno.Command("go", { args, cwd: validateDir.pathname }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  const project = output.success ? JSON.parse(new TextDecoder().decode(output.stdout)) : undefined;
  return { code: output.code, project, stderr };
}

Deno.test({
  name: "compose-go loads compose.yaml with the dev profile; its environments equal ours",
  ignore,
  async fn() {
    const { code, project, stderr } = await composeGo(devEnvPath);
    equal(code, 0, stderr);
    const compose = await readCompose();
    deepEqual(Object.keys(project.services).sort(), Object.keys(compose.services).sort());
    const devEnv = parseEnvFile(await Deno.readTextFile(devEnvPath));
    for (const program of PROGRAMS) {
      deepEqual(
        project.services[program].environment,
        serviceEnvironment(compose.services[program], devEnv),
        program,
      );
    }
  },
});

Deno.test({
  name: "compose-go accepts .env.example's placeholders",
  ignore,
  async fn() {
    const { code, stderr } = await composeGo(examplePath);
    equal(code, 0, stderr);
  },
});

Deno.test({
  name: "compose-go refuses to load without the secrets, naming each one",
  ignore,
  async fn() {
    const { code, stderr } = await composeGo();
    equal(code, 1);
    for (
      const secret of [
        "POSTGRES_PASSWORD",
        "S3_ACCESS_KEY",
        "S3_SECRET_KEY",
        "GRAFANA_ADMIN_PASSWORD",
        "INGEST_WRITE_KEYS",
      ]
    ) {
      ok(stderr.includes(`required variable ${secret} is missing a value`), stderr);
    }
  },
});
