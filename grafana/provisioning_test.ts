import assert from "node:assert/strict";
import { ANALYTICS_POSTGRES, ANALYTICS_TEMPO } from "./definitions/datasources.ts";

const read = (path: string) => Deno.readTextFile(new URL(path, import.meta.url));

Deno.test("provisioning: the datasources the dashboards reference, TimescaleDB on, password from env", async () => {
  const yaml = await read("./provisioning/datasources/analytics.yaml");
  for (const ref of [ANALYTICS_POSTGRES, ANALYTICS_TEMPO]) {
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
