/**
 * What every runnable example reads: the ingest's address and a write key (ANALYTICS_WRITE_KEY,
 * else the key `deno task dev` keeps in `<DEV_DATA_DIR or .data>/dev-write-key`), and the pause
 * between steps (EXAMPLE_PACE_MS, default 300) so a session looks like one on a live view.
 *
 * @module
 */

/** The settings of an example run. */
export interface ExampleEnv {
  writeKey: string;
  /** ANALYTICS_URL, or undefined for the client's default (the local ingest). */
  url?: string;
  paceMs: number;
}

/** Reads the example settings, failing with a message that names what is missing. */
export async function readExampleEnv(): Promise<ExampleEnv> {
  const url = Deno.env.get("ANALYTICS_URL") || undefined;
  const paceMs = Number(Deno.env.get("EXAMPLE_PACE_MS") ?? "300");
  if (!Number.isFinite(paceMs) || paceMs < 0) {
    throw new Error(`EXAMPLE_PACE_MS must be a number of milliseconds >= 0`);
  }
  let writeKey = Deno.env.get("ANALYTICS_WRITE_KEY") ?? "";
  if (writeKey === "") {
    const file = `${Deno.env.get("DEV_DATA_DIR") ?? ".data"}/dev-write-key`;
    try {
      writeKey = (await Deno.readTextFile(file)).trim();
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Error(`no ANALYTICS_WRITE_KEY and no ${file}: start \`deno task dev\` first`);
    }
  }
  return { writeKey, url, paceMs };
}

/** Waits `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
