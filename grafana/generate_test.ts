import assert from "node:assert/strict";
import { DASHBOARDS_DIR, writeDashboards } from "./generate.ts";
import { DASHBOARDS, panelsOf, promPanelsOf, sqlPanelsOf } from "./definitions/mod.ts";
import {
  ANALYTICS_POSTGRES,
  ANALYTICS_PROMETHEUS,
  ANALYTICS_TEMPO,
  TEMPO_DATASOURCE_NAME,
} from "./definitions/datasources.ts";

Deno.test("the committed dashboards equal a fresh generation (run deno task grafana:gen)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "grafana-dashboards-" });
  try {
    const written = await writeDashboards(dir);
    assert.equal(written.length, DASHBOARDS.length);
    for (const spec of DASHBOARDS) {
      const fresh = await Deno.readTextFile(`${dir}/${spec.file}`);
      let committed: string;
      try {
        committed = await Deno.readTextFile(new URL(spec.file, DASHBOARDS_DIR));
      } catch (error) {
        throw new Error(`grafana/dashboards/${spec.file} is missing: run deno task grafana:gen`, {
          cause: error,
        });
      }
      assert.equal(
        committed,
        fresh,
        `grafana/dashboards/${spec.file} is stale: run deno task grafana:gen`,
      );
    }
    const extra = [];
    for await (const entry of Deno.readDir(DASHBOARDS_DIR)) {
      if (!DASHBOARDS.some((d) => d.file === entry.name)) extra.push(entry.name);
    }
    assert.deepEqual(extra, [], "files in grafana/dashboards/ that no spec generates");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboards refresh every 5 s over the last hour; SQL panels use macros, PromQL panels rate intervals", async () => {
  for (const spec of DASHBOARDS) {
    const json = JSON.parse(await Deno.readTextFile(new URL(spec.file, DASHBOARDS_DIR)));
    assert.equal(json.refresh, "5s");
    assert.deepEqual(json.time, { from: "now-1h", to: "now" });
    assert.equal(json.uid, spec.uid);
    const panels = json.panels.filter((p: { type: string }) => p.type !== "row");
    assert.equal(panels.length, panelsOf(spec).length);
    const prom = new Map(promPanelsOf(spec).map(({ panel }) => [panel.title, panel]));
    for (const panel of panels) {
      const promSpec = prom.get(panel.title);
      if (promSpec) {
        assert.deepEqual(panel.datasource, ANALYTICS_PROMETHEUS);
        assert.equal(panel.targets.length, promSpec.queries.length, panel.title);
        panel.targets.forEach((target: Record<string, unknown>, i: number) => {
          assert.deepEqual(target.datasource, ANALYTICS_PROMETHEUS);
          assert.equal(target.refId, String.fromCharCode(65 + i));
          assert.equal(target.expr, promSpec.queries[i].expr);
          assert.equal(target.range, true);
          const expr = String(target.expr);
          // A fixed window breaks when the scrape interval or the zoom changes.
          for (const [, window] of expr.matchAll(/\[([^\]]+)\]/g)) {
            assert.match(window, /^\$__(rate_interval|range)$/, `${panel.title}: [${window}]`);
          }
        });
        continue;
      }
      assert.equal(panel.targets.length, 1, panel.title);
      const [target] = panel.targets;
      assert.equal(target.editorMode, "code");
      assert.deepEqual(target.datasource, ANALYTICS_POSTGRES);
      assert.match(target.rawSql, /\$__timeFilter\(/, `${panel.title}: no $__timeFilter`);
      if (target.format === "time_series") {
        assert.match(target.rawSql, /\$__timeGroupAlias\(/, `${panel.title}: no time bucket`);
      }
    }
  }
});

Deno.test("trace-id columns link to the trace in the provisioned Tempo datasource", async () => {
  let links = 0;
  for (const spec of DASHBOARDS) {
    const json = JSON.parse(await Deno.readTextFile(new URL(spec.file, DASHBOARDS_DIR)));
    for (const { panel } of sqlPanelsOf(spec)) {
      if (!panel.traceIdColumn) continue;
      assert.ok(panel.columns.includes(panel.traceIdColumn), `${panel.title}: no such column`);
      const shipped = json.panels.find((p: { title: string }) => p.title === panel.title);
      const override = shipped.fieldConfig.overrides.find((
        o: { matcher: { id: string; options: string } },
      ) => o.matcher.id === "byName" && o.matcher.options === panel.traceIdColumn);
      assert.ok(override, `${panel.title}: no override for ${panel.traceIdColumn}`);
      const [link] = override.properties.find((p: { id: string }) => p.id === "links").value;
      assert.equal(link.internal.datasourceUid, ANALYTICS_TEMPO.uid);
      assert.equal(link.internal.datasourceName, TEMPO_DATASOURCE_NAME);
      assert.equal(link.internal.query.query, "${__value.raw}");
      links++;
    }
  }
  assert.ok(links >= 2, "the overview's and pipeline health's recent events link their traces");
});
