/**
 * Writes every dashboard's JSON into a folder (default `grafana/dashboards/`), deterministically:
 * the same specs always give the same bytes, so the committed JSON can be compared with a fresh
 * generation.
 *
 * Usage: deno task grafana:gen [output-dir]
 *
 * @module
 */
import { buildDashboard, DASHBOARDS } from "./definitions/mod.ts";

/** The default output folder: the committed, provisioned dashboards. */
export const DASHBOARDS_DIR: URL = new URL("./dashboards/", import.meta.url);

/** Each dashboard's file name and JSON text. */
export function renderDashboards(): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of DASHBOARDS) {
    if (files.has(spec.file)) throw new Error(`two dashboards write ${spec.file}`);
    files.set(spec.file, `${JSON.stringify(buildDashboard(spec), null, 2)}\n`);
  }
  return files;
}

/** Writes the dashboards into `dir`; returns the paths written. */
export async function writeDashboards(dir: URL | string = DASHBOARDS_DIR): Promise<string[]> {
  const base = typeof dir === "string" ? dir.replace(/\/?$/, "/") : dir.href.replace(/\/?$/, "/");
  const folder = typeof dir === "string" ? new URL(base, `file://${Deno.cwd()}/`) : new URL(base);
  await Deno.mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of renderDashboards()) {
    const path = new URL(file, folder);
    await Deno.writeTextFile(path, text);
    written.push(path.pathname);
  }
  return written;
}

if (import.meta.main) {
  for (const path of await writeDashboards(Deno.args[0] ?? DASHBOARDS_DIR)) console.log(path);
}
