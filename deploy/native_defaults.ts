/**
 * The defaults of the native deploy/ scripts (deploy/<service>/env.sh), read from the scripts
 * themselves so the tests compare compose.yaml with what CI really runs.
 *
 * @module
 */

/** Reads `NAME="${NAME:-default}"` and `NAME=value` assignments of one env.sh. */
export function shellDefaults(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const withDefault = /^([A-Z][A-Z0-9_]*)="\$\{\1:-(.*)\}"$/.exec(line);
    if (withDefault) {
      values[withDefault[1]] = withDefault[2];
      continue;
    }
    const plain = /^([A-Z][A-Z0-9_]*)=([A-Za-z0-9._-]+)$/.exec(line);
    if (plain) values[plain[1]] = plain[2];
  }
  return values;
}

/** The defaults of deploy/kafka, deploy/postgres and deploy/s3, merged (names do not clash). */
export async function nativeDefaults(): Promise<Record<string, string>> {
  const merged: Record<string, string> = {};
  for (const service of ["kafka", "postgres", "s3"]) {
    const url = new URL(`./${service}/env.sh`, import.meta.url);
    Object.assign(merged, shellDefaults(await Deno.readTextFile(url)));
  }
  return merged;
}
