/**
 * The demo-site image without Docker: its Dockerfile builds the web client's bundle with the
 * repository's own bundler and copies what exists; nginx serves every local path the pages ask
 * for; the /config.json its template renders (substituted as the image's entrypoint does: only
 * variables defined in the environment) is the JSON the pages read, with the keys they read; and
 * compose runs it on :8080 with those variables, after the ingest, whose CORS lets it in.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { readDockerfile } from "./dockerfile.ts";
import { parseEnvFile } from "../compose/compose_file.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));
const SITE = "clients/web/demo/site/";

/** `text` with `${NAME}` replaced for each NAME defined in `env`, as nginx's 20-envsubst does. */
function envsubstDefined(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name) => env[name] ?? all);
}

Deno.test("demo-site.Dockerfile: pinned bases, bundle built by the repo's bundler, non-root", async () => {
  const image = await readDockerfile("demo-site.Dockerfile");
  for (const base of image.from) ok(/:[^:]*\d/.test(base) && !base.endsWith(":latest"), base);
  ok(image.from.at(-1)!.startsWith("nginxinc/nginx-unprivileged:"), "runtime is unprivileged");
  equal(image.user, "101");
  ok(image.runs.some((r) => r.includes("clients/web/bundle/build_bundle.ts")), "bundle step");
  for (const source of image.copied) {
    ok(await Deno.stat(new URL(source, root)).then(() => true, () => false), `${source} missing`);
  }
  // The bundle stage needs every workspace member's deno.json (Deno reads the workspace).
  const members = JSON.parse(await read("deno.json")).workspace as string[];
  for (const member of members.map((m) => m.replace(/^\.\//, ""))) {
    ok(
      image.copied.some((c) =>
        c === member || member.startsWith(`${c}/`) ||
        c === `${member}/deno.json`
      ),
      `workspace member ${member} not copied into the bundle stage`,
    );
  }
});

Deno.test("demo site: every local path the pages load is a file the image serves", async () => {
  const served = new Set(["/analytics.js", "/config.json", "/"]);
  for await (const entry of Deno.readDir(new URL(SITE, root))) served.add(`/${entry.name}`);
  for (const page of ["index.html", "page2.html", "demo.js"]) {
    const text = await read(`${SITE}${page}`);
    const paths = [
      ...text.matchAll(/(?:src|href)="(\/[^"?#]*)/g),
      ...text.matchAll(/(?:fetch\(|new URL\()"(\/[^"?#]*)"/g),
    ].map((m) => m[1]);
    ok(paths.length > 0, `${page} loads nothing?`);
    for (const path of paths) ok(served.has(path), `${page} loads ${path}, which is not served`);
  }
});

Deno.test("demo site: /config.json rendered from the environment has the keys the pages read", async () => {
  const template = await read("deploy/images/demo-site/default.conf.template");
  const env = { DEMO_INGEST_URL: "http://127.0.0.1:3001", DEMO_WRITE_KEY: "wk_abc" };
  const rendered = envsubstDefined(template, env);
  ok(rendered.includes("try_files $uri $uri/ =404;"), "nginx's own variables are kept");
  const body = /location = \/config\.json \{[^}]*return 200 '([^']*)';/.exec(rendered);
  ok(body, "no /config.json location");
  const config = JSON.parse(body[1]);
  deepEqual(config, { ingestUrl: env.DEMO_INGEST_URL, writeKey: env.DEMO_WRITE_KEY });
  const demo = await read(`${SITE}demo.js`);
  const readKeys = new Set(
    [...demo.matchAll(/(?<![\/\w])config\.([A-Za-z]+)\b(?!\s*")/g)].map((m) => m[1]),
  );
  deepEqual([...readKeys].sort(), Object.keys(config).sort());
});

Deno.test("compose: demo-site on :8080 with its variables, after the ingest, allowed by CORS", async () => {
  const compose = parseYaml(await read("compose.yaml"));
  const site = compose.services["demo-site"];
  ok(site, "no demo-site service");
  equal(site.build.dockerfile, "deploy/images/demo-site.Dockerfile");
  deepEqual(site.ports, ["127.0.0.1:8080:8080"]);
  deepEqual(site.depends_on, { ingest: { condition: "service_healthy" } });
  match(site.environment.DEMO_INGEST_URL, /^http:\/\/(localhost|127\.0\.0\.1):3001$/);
  match(site.environment.DEMO_WRITE_KEY, /^\$\{DEMO_WRITE_KEY:\?/);
  for (const file of [".env.example", "deploy/compose/dev.env"]) {
    const env = parseEnvFile(await read(file));
    const origins = (env.INGEST_CORS_ORIGINS ?? "").split(",");
    ok(origins.includes("http://localhost:8080"), `${file}: CORS lacks the demo site`);
    ok(env.DEMO_WRITE_KEY, `${file} sets no DEMO_WRITE_KEY`);
  }
});

function match(value: string, pattern: RegExp): void {
  ok(pattern.test(value), `${value} does not match ${pattern}`);
}
