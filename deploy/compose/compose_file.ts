/**
 * compose.yaml as data, for its tests: the parsed file (YAML merge keys applied), compose's
 * variable interpolation, and each service's resolved environment.
 *
 * @module
 */
import { parse } from "yaml";

/** The parts of a compose service the tests look at. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { memory?: string } } };
  restart?: string;
  profiles?: string[];
  [key: string]: unknown;
}

/** A parsed compose file. */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The repository's compose.yaml. */
export const COMPOSE_PATH = new URL("../../compose.yaml", import.meta.url);

/** Parses compose YAML text, applying `<<` merge keys as compose does. */
export function parseCompose(text: string): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

/** Reads and parses the repository's compose.yaml. */
export async function readCompose(): Promise<ComposeFile> {
  return parseCompose(await Deno.readTextFile(COMPOSE_PATH));
}

/** Parses a `.env` file: `NAME=value` lines, `#` comments and blank lines ignored. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2].trim();
  }
  return values;
}

/**
 * Compose's interpolation of one value: `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?message}` (an error when unset or empty) and `$$` (a literal `$`).
 */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}/g,
    (whole, name?: string, op?: string, arg?: string) => {
      if (whole === "$$") return "$";
      const value = vars[name!];
      const missing = op?.startsWith(":") ? !value : value === undefined;
      if (op?.endsWith("?") && missing) throw new Error(`${name}: ${arg}`);
      if (op?.endsWith("-") && missing) return interpolate(arg ?? "", vars);
      return value ?? "";
    },
  );
}

/** The service's environment after interpolation with `vars` (every value a string). */
export function serviceEnvironment(
  service: ComposeService,
  vars: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    env[name] = interpolate(value === null ? "" : String(value), vars);
  }
  return env;
}

/** The names `${NAME...}` references in `text` (compose variables, not `$$` escapes). */
export function referencedVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.replaceAll("$$", "").matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) {
    names.add(match[1]);
  }
  return names;
}
