/**
 * Runs `deno task dev`'s program (`ingest/dev.ts`) as a child process for tests: the embedded
 * mode in the test's data folder, free ports (the demo site's too), and what its start-up banner
 * prints (ingest URL, write and admin keys, demo site and live view URLs) read back.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { EMBEDDED_ENV } from "./embedded_env.ts";
import { freePort } from "./free_port.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** The banner's last line: everything the tests read is printed by then. */
const BANNER_END = /live view\s+\S+.*\n/;

/** A running dev process and what its banner printed. */
export interface DevProcess {
  /** The start-up banner as printed on standard output. */
  banner: string;
  /** `http://127.0.0.1:<port>` of the ingest's Connect/HTTP listener (QueryService too). */
  httpUrl: string;
  /** The local write key (`wk_…`). */
  key: string;
  /** The dev admin key (`ak_…`). */
  adminKey: string;
  /** The demo site's origin, without a trailing slash. */
  siteUrl: string;
  /** The live view page's URL. */
  liveUrl: string;
  /** Stops the process with SIGTERM (once) and waits; its exit code and standard error. */
  stop(): Promise<{ code: number; stderr: string }>;
  /** Kills the process (SIGKILL) unless it was stopped, and waits for it. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `ingest/dev.ts` with its data in `dataDir` and `env` on top of the embedded mode on free
 * ports, and waits until it printed its whole banner.
 */
export async function startDevProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<DevProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "ingest/dev.ts"],
    cwd: REPO,
    // A fixed free site port: the ingest's CORS origins are made from it.
    env: { ...EMBEDDED_ENV, DEV_DATA_DIR: dataDir, DEV_SITE_PORT: String(freePort()), ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let banner = "";
  let rest: Promise<void>;
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    while (!BANNER_END.test(banner)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`dev.ts ended before its banner:\n${banner}\n${await stderr}`);
      banner += value;
    }
    reader.releaseLock();
    rest = child.stdout.cancel().catch(() => {});
  } catch (error) {
    kill(child);
    await child.status;
    await stderr;
    throw error;
  }

  let stopping: Promise<{ code: number; stderr: string }> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      child.kill("SIGTERM");
      const { code } = await child.status;
      await rest;
      return { code, stderr: await stderr };
    })();
  const printed = (pattern: RegExp) => {
    const match = banner.match(pattern);
    if (!match) throw new Error(`the dev banner has no ${pattern}:\n${banner}`);
    return match[1];
  };
  return {
    banner,
    httpUrl: printed(/ingest http\s+(\S+)/),
    key: printed(/write key\s+(wk_\S+)/),
    adminKey: printed(/admin key\s+(ak_\S+)/),
    siteUrl: printed(/demo site\s+(\S+?)\/?\s/),
    liveUrl: printed(/live view\s+(\S+)/),
    stop,
    async [Symbol.asyncDispose]() {
      if (!stopping) {
        stopping = child.status.then(async ({ code }) => ({ code, stderr: await stderr }));
        kill(child);
      }
      await stopping;
      await rest;
    },
  };
}

/** SIGKILL, unless the process already ended. */
function kill(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
