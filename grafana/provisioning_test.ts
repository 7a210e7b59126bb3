import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import {
  ANALYTICS_POSTGRES,
  ANALYTICS_PROMETHEUS,
  ANALYTICS_TEMPO,
  TEMPO_DATASOURCE_NAME,
} from "./definitions/datasources.ts";

const read = (path: string) => Deno.readTextFile(new URL(path, import.meta.url));

Deno.test("provisioning: the datasources the dashboards reference, TimescaleDB on, password from env", async () => {
  const yaml = await read("./provisioning/datasources/analytics.yaml");
  for (const ref of [ANALYTICS_POSTGRES, ANALYTICS_TEMPO, ANALYTICS_PROMETHEUS]) {
    assert.match(yaml, new RegExp(`uid: ${ref.uid}\\n\\s+type: ${ref.type}\\n`));
  }
  assert.match(yaml, /\n\s+timescaledb: true\n/);
  assert.match(yaml, /secureJsonData:\n\s+password: \$\{ANALYTICS_PG_PASSWORD\}\n/);
  assert.doesNotMatch(yaml, /\$\{[A-Z_]+:-/, "Grafana has no ${VAR:-default}");
});

Deno.test("provisioning: the dashboards provider reads the generated folder", async () => {
  const yaml = await read("./provisioning/dashboards/analytics.yaml");
  assert.match(yaml, /\n\s+type: file\n/);
  assert.match(yaml, /\n\s+path: \$\{ANALYTICS_DASHBOARDS_DIR\}\n/);
});

Deno.test("provisioning: Tempo by the name trace links carry, Prometheus at the scrape interval", async () => {
  const { datasources } = parseYaml(await read("./provisioning/datasources/analytics.yaml"));
  const byUid = new Map(datasources.map((d: { uid: string }) => [d.uid, d]));
  const tempo = byUid.get(ANALYTICS_TEMPO.uid) as { name: string; url: string };
  assert.equal(tempo.name, TEMPO_DATASOURCE_NAME);
  assert.equal(tempo.url, "${ANALYTICS_TEMPO_URL}");
  const prometheus = byUid.get(ANALYTICS_PROMETHEUS.uid) as {
    url: string;
    jsonData: { timeInterval: string };
  };
  assert.equal(prometheus.url, "${ANALYTICS_PROMETHEUS_URL}");
  const scrape = parseYaml(
    await read("../deploy/compose/prometheus/prometheus.yaml"),
  ) as { global: { scrape_interval: string } };
  assert.equal(prometheus.jsonData.timeInterval, scrape.global.scrape_interval);
});

Deno.test("provisioning: compose gives Grafana every variable the provisioning files use", async () => {
  const compose = parseYaml(await read("../compose.yaml")) as {
    services: { grafana: { environment: Record<string, string>; depends_on: object } };
  };
  const env = compose.services.grafana.environment;
  for (const file of ["datasources/analytics.yaml", "dashboards/analytics.yaml"]) {
    const text = (await read(`./provisioning/${file}`)).replace(/^\s*#.*$/gm, "");
    for (const [, name] of text.matchAll(/\$\{([A-Z_]+)\}/g)) {
      assert.ok(env[name], `compose's grafana service does not set ${name} (used in ${file})`);
    }
  }
  assert.equal(env.ANALYTICS_PROMETHEUS_URL, "http://prometheus:9090");
  assert.equal(env.ANALYTICS_TEMPO_URL, "http://tempo:3200");
  assert.ok("prometheus" in compose.services.grafana.depends_on);
});
