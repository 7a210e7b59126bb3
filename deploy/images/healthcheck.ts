/**
 * Container healthcheck: exits 0 when GET <url> answers 2xx within 4 s, else 1 with the reason on
 * stderr. The images have no curl; compose and Kubernetes run it as
 * `deno run --allow-net=127.0.0.1 deploy/images/healthcheck.ts http://127.0.0.1:3001/ready`.
 *
 * @module
 */

/** Returns null when `url` answers 2xx within `timeoutMs`, else the reason it is not healthy. */
export async function checkHealth(url: string, timeoutMs = 4_000): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok ? null : `${url} answered ${response.status}`;
  } catch (error) {
    return `${url}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

if (import.meta.main) {
  const url = Deno.args[0];
  if (!url) {
    console.error("usage: healthcheck.ts <url>");
    Deno.exit(2);
  }
  const problem = await checkHealth(url);
  if (problem !== null) console.error(problem);
  Deno.exit(problem === null ? 0 : 1);
}
