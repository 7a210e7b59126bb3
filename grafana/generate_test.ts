import assert from "node:assert/strict";
import { DASHBOARDS_DIR, writeDashboards } from "./generate.ts";
import { DASHBOARDS, panelsOf } from "./definitions/mod.ts";

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

Deno.test("dashboards refresh every 5 s over the last hour; every panel is SQL with macros", async () => {
  for (const spec of DASHBOARDS) {
    const json = JSON.parse(await Deno.readTextFile(new URL(spec.file, DASHBOARDS_DIR)));
    assert.equal(json.refresh, "5s");
    assert.deepEqual(json.time, { from: "now-1h", to: "now" });
    assert.equal(json.uid, spec.uid);
    const panels = json.panels.filter((p: { type: string }) => p.type !== "row");
    assert.equal(panels.length, panelsOf(spec).length);
    for (const panel of panels) {
      assert.equal(panel.targets.length, 1, panel.title);
      const [target] = panel.targets;
      assert.equal(target.editorMode, "code");
      assert.deepEqual(target.datasource, {
        type: "grafana-postgresql-datasource",
        uid: "analytics-postgres",
      });
      assert.match(target.rawSql, /\$__timeFilter\(/, `${panel.title}: no $__timeFilter`);
      if (target.format === "time_series") {
        assert.match(target.rawSql, /\$__timeGroupAlias\(/, `${panel.title}: no time bucket`);
      }
    }
  }
});
