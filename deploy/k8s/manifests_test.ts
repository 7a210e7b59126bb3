import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { parseEnvFile, readCompose, serviceEnvironment } from "../compose/compose_file.ts";
import {
  DEPLOYMENT_VARIABLES,
  documentedVariables,
  ENTRY_POINTS,
  type Program,
  PROGRAMS,
  runtimeVariables,
  variablesRead,
} from "../program_env.ts";

const base = new URL("./base/", import.meta.url);
const root = new URL("../../", import.meta.url);
const kustomization = parse(await Deno.readTextFile(new URL("kustomization.yaml", base)));
const resources: Record<string, unknown>[] = [];
for (const file of kustomization.resources as string[]) {
  const text = await Deno.readTextFile(new URL(file, base));
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
    resources.push(document.toJS());
  }
}
const MODELS: Record<string, { new (data: never): { validate(): void } }> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
};
const configurationMd = await Deno.readTextFile(new URL("docs/configuration.md", root));
const devEnv = parseEnvFile(await Deno.readTextFile(new URL("deploy/compose/dev.env", root)));
const compose = await readCompose();

type Resource = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  // deno-lint-ignore no-explicit-any
  spec: any;
  data?: Record<string, string>;
};
const all = resources as Resource[];
const named = (kind: string, name: string) => {
  const found = all.find((r) => r.kind === kind && r.metadata.name === name);
  ok(found, `no ${kind} ${name}`);
  return found;
};

/** The environment a program's container gets: its ConfigMap, plus the Secret's keys by name. */
function programEnvironment(program: Program): Record<string, string> {
  const deployment = named("Deployment", `analytics-${program}`);
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    Object.assign(env, named("ConfigMap", source.configMapRef.name).data);
  }
  for (const variable of container.env ?? []) {
    const secretKey = variable.valueFrom?.secretKeyRef?.key;
    // The Secret lives outside git: give each key the dev profile's value (as compose would).
    env[variable.name] = variable.value ?? secretValue(secretKey);
  }
  return env;
}

/** The dev profile's value of a key of Secret analytics-secrets (docs/deploy.md). */
function secretValue(key: string): string {
  if (key === "DATABASE_URL") {
    return `postgres://analytics:${devEnv.POSTGRES_PASSWORD}@timescaledb:5432/analytics`;
  }
  const value = devEnv[key];
  ok(value, `Secret key ${key} is not one the docs tell you to create`);
  return value;
}

Deno.test("every manifest is valid against the Kubernetes API schema (kubernetes-models)", () => {
  ok(all.length >= 8);
  for (const resource of all) {
    const key = `${resource.apiVersion}/${resource.kind}`;
    const Model = MODELS[key];
    ok(Model, `no model for ${key}`);
    new Model(resource as never).validate();
  }
});

Deno.test("the validation catches a wrong field type", () => {
  const deployment = structuredClone(named("Deployment", "analytics-ingest"));
  deployment.spec.replicas = "two";
  throws(() => new Deployment(deployment as never).validate());
});

Deno.test("kustomization lists every manifest file of the base", async () => {
  const files: string[] = [];
  for await (const entry of Deno.readDir(base)) {
    if (entry.name.endsWith(".yaml") && entry.name !== "kustomization.yaml") files.push(entry.name);
  }
  deepEqual(files.sort(), [...kustomization.resources].sort());
});

Deno.test("images are pinned and match compose's", () => {
  for (const deployment of all.filter((r) => r.kind === "Deployment")) {
    for (const container of deployment.spec.template.spec.containers) {
      ok(/:(?!latest$)[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*$/.test(container.image), container.image);
    }
  }
  equal(
    named("Deployment", "analytics-ingest").spec.template.spec.containers[0].image,
    compose.services["ingest"].image,
  );
  equal(
    named("Deployment", "analytics-sink-delta").spec.template.spec.containers[0].image,
    compose.services["sink-delta"].image,
  );
});

Deno.test("each program's environment is documented, read by its config and complete", () => {
  const documented = documentedVariables(configurationMd);
  const runtime = runtimeVariables(configurationMd);
  for (const program of PROGRAMS) {
    const env = programEnvironment(program);
    const read = variablesRead(program, env);
    for (const name of Object.keys(env)) {
      ok(documented[program].has(name) || runtime.has(name), `${program}: ${name} undocumented`);
      ok(read.has(name) || runtime.has(name), `${program}: ${name} is not read by its config`);
    }
    for (const name of DEPLOYMENT_VARIABLES[program]) {
      ok(env[name], `${program}: the manifests do not set ${name}`);
    }
    // The same names and values as compose, but for the secrets.
    const composed = serviceEnvironment(compose.services[program], devEnv);
    deepEqual(Object.keys(env).sort(), Object.keys(composed).sort(), program);
    for (const [name, value] of Object.entries(composed)) {
      if (!/PASSWORD|SECRET|DATABASE_URL|WRITE_KEYS|ACCESS_KEY|CORS|LEGACY/.test(name)) {
        equal(env[name], value, `${program}: ${name}`);
      }
    }
  }
});

Deno.test("sinks: replicas within the partitions, readiness on /ready, the right program", () => {
  for (const program of PROGRAMS) {
    const deployment = named("Deployment", `analytics-${program}`);
    const container = deployment.spec.template.spec.containers[0];
    equal(container.readinessProbe.httpGet.path, "/ready", program);
    equal(container.livenessProbe.httpGet.path, "/health", program);
    ok(deployment.spec.template.spec.securityContext.runAsNonRoot, program);
    if (program === "ingest") continue;
    const partitions = Number(programEnvironment(program).KAFKA_TOPIC_PARTITIONS);
    ok(deployment.spec.replicas <= partitions, `${program}: more replicas than partitions`);
    deepEqual(container.args, [ENTRY_POINTS[program]]);
  }
});

Deno.test("the ingest scales on CPU and its Service exposes both listeners", () => {
  const hpa = named("HorizontalPodAutoscaler", "analytics-ingest");
  equal(hpa.spec.scaleTargetRef.name, "analytics-ingest");
  equal(hpa.spec.metrics[0].resource.name, "cpu");
  ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
  const ports = named("Service", "analytics-ingest").spec.ports.map((p: { port: number }) =>
    p.port
  );
  deepEqual(ports, [3001, 50051]);
});
