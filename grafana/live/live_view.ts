/**
 * The dev process's live view: a page at `/live` with the key panels of the overview and
 * multi-channel dashboards (events over time by channel, active sessions, events by channel and
 * by type, recent events), refreshing every few seconds, for `deno task dev`, which has no
 * Grafana. It is one route handler for the dev site server (port 8080): it serves the page, its
 * script (bundled by esbuild on first request: the page's TypeScript and uPlot) and uPlot's
 * CSS, and passes the page's QueryService calls (Connect JSON, same origin, so no CORS) on to the
 * ingest's port, where the dev process serves QueryService over the hot store.
 *
 * @module
 */
import { QueryService } from "@analytics/schema";

/** A route handler of the dev site server: a response, or undefined when not its path. */
export type RouteHandler = (request: Request) => Promise<Response | undefined>;

/** Options of {@linkcode createLiveView}. */
export interface LiveViewOptions {
  /** Base URL of the HTTP listener serving QueryService (the dev ingest's, e.g. :3001). */
  queryUrl: string;
  /** How often the page refreshes, in milliseconds; default 3000. */
  refreshMs?: number;
}

/** The path prefix the live view serves. */
export const LIVE_PATH = "/live";

const PAGE_DIR = new URL("./page/", import.meta.url);
const UPLOT_CSS = new URL("../../node_modules/uplot/dist/uPlot.min.css", import.meta.url);
const QUERY_METHODS = new Set(QueryService.methods.map((m) => m.name));
const API_PREFIX = `${LIVE_PATH}/api/${QueryService.typeName}/`;

/** The live view's route handler; answers only paths under `/live`. */
export function createLiveView(options: LiveViewOptions): RouteHandler {
  const queryUrl = options.queryUrl.replace(/\/$/, "");
  const refreshMs = options.refreshMs ?? 3000;
  if (!(Number.isInteger(refreshMs) && refreshMs >= 250)) {
    throw new Error(`live view refreshMs: ${refreshMs} is not an integer of at least 250`);
  }
  let script: Promise<Uint8Array> | undefined;
  const bundle = () => {
    script ??= bundleLiveScript().catch((error) => {
      script = undefined; // a later request tries again (e.g. after a fix in dev)
      throw error;
    });
    return script;
  };
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname !== LIVE_PATH && !pathname.startsWith(`${LIVE_PATH}/`)) return undefined;
    if (pathname.startsWith(API_PREFIX)) {
      return await forwardQuery(request, queryUrl, pathname.slice(API_PREFIX.length));
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    switch (pathname) {
      case LIVE_PATH:
      case `${LIVE_PATH}/`: {
        const html = await Deno.readTextFile(new URL("index.html", PAGE_DIR));
        return respond(html.replace("@REFRESH_MS@", String(refreshMs)), "text/html");
      }
      case `${LIVE_PATH}/app.js`:
        return respond(await bundle(), "text/javascript");
      case `${LIVE_PATH}/uplot.css`:
        return respond(await Deno.readFile(UPLOT_CSS), "text/css");
      default:
        return new Response("not found", { status: 404 });
    }
  };
}

/** Passes one QueryService call on to the ingest's listener, unchanged. */
async function forwardQuery(request: Request, queryUrl: string, method: string) {
  if (!QUERY_METHODS.has(method)) {
    return Response.json(
      { code: "unimplemented", message: `method: ${method} is not a QueryService method` },
      { status: 404 },
    );
  }
  if (request.method !== "POST") {
    return new Response("method not allowed", { status: 405, headers: { allow: "POST" } });
  }
  const headers = new Headers();
  for (const name of ["content-type", "connect-protocol-version", "connect-timeout-ms"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  try {
    const answer = await fetch(`${queryUrl}/${QueryService.typeName}/${method}`, {
      method: "POST",
      headers,
      body: await request.arrayBuffer(),
    });
    return new Response(answer.body, {
      status: answer.status,
      headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
    });
  } catch (error) {
    return Response.json(
      { code: "unavailable", message: `QueryService at ${queryUrl}: ${error}` },
      { status: 503 },
    );
  }
}

function respond(body: string | Uint8Array, type: string): Response {
  return new Response(body as BodyInit, {
    headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" },
  });
}

/**
 * Bundles the page's script (page/app.ts and uPlot) into one ESM file, with the esbuild of
 * package.json run as its own process: the JS API's service is shared by everything in the dev
 * process, and a concurrent `esbuild.stop()` (the demo site's bundler stops it after each build)
 * can leave another build's promise unsettled for ever.
 */
export async function bundleLiveScript(): Promise<Uint8Array> {
  const root = new URL("../../", import.meta.url).pathname;
  const output = await new Deno.Command(`${root}node_modules/esbuild/bin/esbuild`, {
    args: [
      new URL("app.ts", PAGE_DIR).pathname,
      "--bundle",
      "--minify",
      "--format=esm",
      "--platform=browser",
      "--target=es2022",
      "--legal-comments=none",
      "--log-level=error",
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`esbuild of the live page failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return output.stdout;
}
