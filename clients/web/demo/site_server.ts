/**
 * The demo site's server (`deno task dev` serves it on port 8080, DEV_SITE_PORT): the original
 * product's two pages, the web client's bundle built on first request (`/analytics.js`), and
 * `/config.json` with the ingest's address and the dev write key (dev only: a real site puts
 * its key in the page). Other dev pages mount on the same server as route handlers that answer
 * the requests they own and return undefined for the rest (the live view mounts `/live` so).
 *
 * @module
 */
import { buildWebBundle } from "../bundle/build_bundle.ts";

/** Answers a request it owns, or returns undefined to let the next handler (or the site) try. */
export type RouteHandler = (
  request: Request,
) => Response | undefined | Promise<Response | undefined>;

/** Options of startDemoSite. */
export interface DemoSiteOptions {
  /** Port to listen on (0: any free port). */
  port: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** The ingest's HTTP address as the browser reaches it. */
  ingestUrl: string;
  /** The write key the pages send with (a key allowed the web channel). */
  writeKey: string;
  /** Handlers tried, in order, before the site's own files. */
  routes?: RouteHandler[];
}

/** A running demo site. */
export interface DemoSite {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const SITE_DIR = new URL("./site/", import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/page2.html": { file: "page2.html", type: "text/html; charset=utf-8" },
  "/demo.js": { file: "demo.js", type: "text/javascript; charset=utf-8" },
  "/styles.css": { file: "styles.css", type: "text/css; charset=utf-8" },
};

/** Starts the demo site. */
export function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  let bundle: Promise<Uint8Array> | undefined;
  const config = JSON.stringify({ ingestUrl: options.ingestUrl, writeKey: options.writeKey });
  const routes = options.routes ?? [];

  const handle = async (request: Request): Promise<Response> => {
    for (const route of routes) {
      const answer = await route(request);
      if (answer) return answer;
    }
    const { pathname } = new URL(request.url);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    if (pathname === "/config.json") {
      return new Response(config, { headers: noStore("application/json") });
    }
    if (pathname === "/analytics.js") {
      bundle ??= buildWebBundle().then((b) => b.code);
      bundle.catch(() => bundle = undefined); // a failed build is tried again next request
      return new Response((await bundle).slice(), {
        headers: noStore("text/javascript; charset=utf-8"),
      });
    }
    const file = FILES[pathname];
    if (!file) return new Response(`${pathname} not found\n`, { status: 404 });
    return new Response(await Deno.readFile(new URL(file.file, SITE_DIR)), {
      headers: noStore(file.type),
    });
  };

  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        port: options.port,
        hostname: options.hostname ?? "127.0.0.1",
        onListen: ({ hostname, port }) => {
          const host = hostname.includes(":") ? `[${hostname}]` : hostname;
          resolve({ url: `http://${host}:${port}`, port, stop: () => server.shutdown() });
        },
        onError: (error) => {
          console.error("demo site:", error);
          return new Response(`demo site error: ${error}\n`, { status: 500 });
        },
      }, handle);
    } catch (error) {
      reject(error);
    }
  });
}

function noStore(type: string): Headers {
  // Dev pages change while the server runs: never serve a stale copy.
  return new Headers({ "Content-Type": type, "Cache-Control": "no-store" });
}
