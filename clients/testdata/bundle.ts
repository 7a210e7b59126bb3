/**
 * Bundles a client's entry point with esbuild the way an app's bundler would (Metro, Vite,
 * webpack): the Deno workspace's `@analytics/*` names resolved to the members' exports, npm
 * packages from `node_modules`, no Node built-in allowed unless the platform is "node". The
 * tests use it to prove what a client's bundle contains and where it can run.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Options of bundleClient. */
export interface BundleOptions {
  /** Default "neutral": no browser or Node assumptions. */
  platform?: "neutral" | "browser" | "node";
  /** Default "esm". "iife" assigns the exports to `globalName`. */
  format?: "esm" | "iife";
  globalName?: string;
  minify?: boolean;
}

/** A bundle's code and the files it was made from (repository-relative paths). */
export interface Bundle {
  code: string;
  inputs: string[];
}

/** The workspace members' names and exports, from the root deno.json. */
async function workspaceExports(): Promise<Map<string, string>> {
  const root = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const exports = new Map<string, string>();
  for (const member of root.workspace as string[]) {
    const dir = join(ROOT, member);
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    const entries = typeof config.exports === "string" ? { ".": config.exports } : config.exports;
    for (const [sub, file] of Object.entries(entries ?? {})) {
      const name = sub === "." ? config.name : `${config.name}/${sub.replace(/^\.\//, "")}`;
      exports.set(name, join(dir, file as string));
    }
  }
  return exports;
}

/** Bundles `entry` (a path or file URL) and returns the code and its inputs. */
export async function bundleClient(
  entry: string | URL,
  options: BundleOptions = {},
): Promise<Bundle> {
  const members = await workspaceExports();
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : entry;
  try {
    const result = await esbuild.build({
      entryPoints: [entryPath],
      bundle: true,
      write: false,
      metafile: true,
      platform: options.platform ?? "neutral",
      format: options.format ?? "esm",
      globalName: options.globalName,
      minify: options.minify ?? false,
      target: "es2022",
      // What package.json fields and conditions a React Native or browser bundler uses.
      mainFields: ["module", "main"],
      conditions: ["import", "module", "default"],
      logLevel: "silent",
      absWorkingDir: ROOT,
      nodePaths: [join(ROOT, "node_modules")],
      plugins: [{
        name: "deno-workspace",
        setup(build) {
          build.onResolve({ filter: /^@analytics\// }, (args) => {
            const path = members.get(args.path);
            if (!path) {
              return { errors: [{ text: `${args.path} is not a workspace export (deno.json)` }] };
            }
            return { path };
          });
        },
      }],
    });
    return {
      code: result.outputFiles[0].text,
      inputs: Object.keys(result.metafile.inputs),
    };
  } finally {
    await esbuild.stop();
  }
}
