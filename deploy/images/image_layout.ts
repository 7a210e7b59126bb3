/**
 * Rebuilds an image's application folder natively, from its Dockerfile: the dependency stage's
 * `npm ci` (production only) and every COPY from the build context, at the same paths. Tests run
 * the image's own `deno cache` and programs from it, which catches a file the image lacks, a
 * workspace member not copied, or a runtime import of a development-only package.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Dockerfile } from "./dockerfile.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Runs `command` (a shell-free word list) in `cwd`; throws with its output when it fails. */
async function run(words: string[], cwd: string, env?: Record<string, string>): Promise<void> {
  const output = await new Deno.Command(words[0], { args: words.slice(1), cwd, env }).output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    throw new Error(`${words.join(" ")} failed in ${cwd}:\n${text.slice(-3000)}`);
  }
}

/** Installs the production npm dependencies into `dir` with the Dockerfile's `npm ci` line. */
export async function installDependencies(image: Dockerfile, dir: string): Promise<void> {
  const npm = image.runs.find((line) => line.startsWith("npm ci"));
  if (!npm) throw new Error("the Dockerfile has no npm ci step");
  await Deno.copyFile(join(root, "package.json"), join(dir, "package.json"));
  await Deno.copyFile(join(root, "package-lock.json"), join(dir, "package-lock.json"));
  await run(npm.split(/\s+/), dir);
}

/** Copies every COPY source of `image` into `app` at its path, and links `nodeModules` there. */
export async function assembleApp(image: Dockerfile, app: string, nodeModules: string) {
  for (const source of image.copied) {
    const target = join(app, source);
    await Deno.mkdir(dirname(target), { recursive: true });
    await run(["cp", "-R", join(root, source), target], root);
  }
  await Deno.symlink(nodeModules, join(app, "node_modules"));
}

/** Runs the image's `deno cache` line in `app` with `denoDir` as DENO_DIR. */
export async function cacheModules(image: Dockerfile, app: string, denoDir: string) {
  const cache = image.runs.find((line) => line.startsWith("deno cache"));
  if (!cache) throw new Error("the Dockerfile has no deno cache step");
  const words = cache.split("&&")[0].trim().split(/\s+/);
  await run([Deno.execPath(), ...words.slice(1)], app, { DENO_DIR: denoDir });
}
