/**
 * Bundles the web client into one minified ESM file for `<script type="module">`, with the
 * esbuild pinned in package.json. Workspace packages (`@analytics/*`) resolve through their
 * `deno.json` exports, npm packages through `node_modules`, so the output depends only on the
 * repository's files and is the same on every run.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const repoRoot = new URL("../../../", import.meta.url);

/** The bundle's entry: the web client's public API. */
export const WEB_ENTRY = new URL("../mod.ts", import.meta.url).pathname;

/** A built bundle. */
export interface WebBundle {
  code: Uint8Array;
  /** Size after gzip level 9, what a server sends. */
  gzipBytes: number;
  /** Input files and the bytes each put in the output, largest first. */
  inputs: { path: string; bytes: number }[];
}

/** Maps each workspace package's name and export paths to files (from the members' deno.json). */
async function workspaceExports(): Promise<Map<string, string>> {
  const root = JSON.parse(await Deno.readTextFile(new URL("deno.json", repoRoot)));
  const map = new Map<string, string>();
  for (const member of root.workspace as string[]) {
    const dir = new URL(`${member.replace(/\/?$/, "/")}`, repoRoot);
    const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", dir)));
    const exports = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
    for (const [sub, file] of Object.entries(exports ?? {}) as [string, string][]) {
      map.set(
        sub === "." ? config.name : `${config.name}/${sub.slice(2)}`,
        new URL(file, dir).pathname,
      );
    }
  }
  return map;
}

let activeBuilds = 0;

/** Builds the bundle of `entry` (default the web client) in memory. */
export async function buildWebBundle(entry = WEB_ENTRY): Promise<WebBundle> {
  const packages = await workspaceExports();
  const workspace: esbuild.Plugin = {
    name: "deno-workspace",
    setup(build) {
      build.onResolve({ filter: /^@analytics\// }, (args) => {
        const path = packages.get(args.path);
        return path ? { path } : { errors: [{ text: `no workspace export ${args.path}` }] };
      });
      build.onResolve({ filter: /^node:/ }, (args) => ({
        errors: [{
          text: `${args.path} imported by ${args.importer}: browsers have no Node modules`,
        }],
      }));
    },
  };
  activeBuilds++;
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      legalComments: "none",
      absWorkingDir: repoRoot.pathname,
      nodePaths: [new URL("node_modules", repoRoot).pathname],
      plugins: [workspace],
      logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    const output = Object.values(result.metafile.outputs)[0];
    const inputs = Object.entries(output.inputs)
      .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes);
    return { code, gzipBytes: gzipSync(code, { level: 9 }).length, inputs };
  } finally {
    // esbuild's service keeps a process alive; stop it when no build of this module needs it
    // (a stop during another build would leave that build hanging).
    if (--activeBuilds === 0) await esbuild.stop();
  }
}

/** `deno task build:web`: writes `clients/web/dist/analytics.js` and prints its sizes. */
async function main(): Promise<void> {
  const bundle = await buildWebBundle();
  const out = new URL("../dist/", import.meta.url);
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeFile(new URL("analytics.js", out), bundle.code);
  console.log(
    `clients/web/dist/analytics.js  ${bundle.code.length} bytes, ${bundle.gzipBytes} gzipped`,
  );
}

if (import.meta.main) await main();
