/**
 * Licence check of the runtime npm dependencies: walks package-lock.json's non-dev packages,
 * reads each one's `license` (from its installed package.json, else from the lock file) and
 * fails on anything that is not a permissive licence or an SPDX expression of them.
 *
 * Usage: deno run --allow-read .ci/licenses.ts [path/to/package-lock.json]
 *
 * @module
 */

/** SPDX ids allowed at run time. */
export const ALLOWED_LICENSES: ReadonlySet<string> = new Set([
  "MIT",
  "MIT-0",
  "Apache-2.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "ISC",
  "0BSD",
  "BlueOak-1.0.0",
  "Unlicense",
  "CC0-1.0",
  "Python-2.0",
]);

/** Packages refused whatever their manifest says, with the reason. */
export const REFUSED: readonly {
  name: string;
  refuse: (version: string) => boolean;
  why: string;
}[] = [
  {
    name: "ua-parser-js",
    refuse: (version) => Number(version.split(".")[0]) >= 2,
    why: "ua-parser-js 2.x is AGPL-3.0; use 1.x (MIT)",
  },
];

/** True when an SPDX expression (ids, AND, OR, WITH, parentheses) is satisfied by allowed ids. */
export function isAllowedLicense(expression: string): boolean {
  const tokens = expression.replace(/[()]/g, " $& ").trim().split(/\s+/).filter(Boolean);
  let position = 0;
  const peek = () => tokens[position];
  // or := and ("OR" and)* ; and := atom ("AND" atom)* ; atom := "(" or ")" | id ["WITH" id]
  const parseAtom = (): boolean => {
    const token = tokens[position++];
    if (token === undefined) throw new SyntaxError(`unexpected end of "${expression}"`);
    if (token === "(") {
      const value = parseOr();
      if (tokens[position++] !== ")") throw new SyntaxError(`missing ) in "${expression}"`);
      return value;
    }
    if (/^(AND|OR|WITH|\))$/i.test(token)) {
      throw new SyntaxError(`unexpected ${token} in "${expression}"`);
    }
    if (peek()?.toUpperCase() === "WITH") position += 2; // an exception only widens what is allowed
    return ALLOWED_LICENSES.has(token.replace(/\+$/, ""));
  };
  const parseAnd = (): boolean => {
    let value = parseAtom();
    while (peek()?.toUpperCase() === "AND") {
      position++;
      value = parseAtom() && value;
    }
    return value;
  };
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (peek()?.toUpperCase() === "OR") {
      position++;
      value = parseAnd() || value;
    }
    return value;
  };
  try {
    const value = parseOr();
    return position === tokens.length && value;
  } catch {
    return false;
  }
}

/** The licence a package.json declares: `license` as a string or {type}, or legacy `licenses`. */
export function declaredLicense(manifest: Record<string, unknown>): string | undefined {
  const license = manifest.license;
  if (typeof license === "string") return license;
  if (license && typeof license === "object" && "type" in license) return String(license.type);
  const licenses = manifest.licenses;
  if (Array.isArray(licenses) && licenses.length > 0) {
    return licenses.map((l) => `(${typeof l === "string" ? l : l?.type})`).join(" OR ");
  }
  return undefined;
}

/** One runtime package and the verdict on its licence. */
export interface LicenseFinding {
  path: string;
  name: string;
  version: string;
  license: string | undefined;
  ok: boolean;
  why?: string;
}

type LockPackage = { version?: string; license?: string; dev?: boolean; name?: string };

/** Checks every non-dev package of a v2/v3 lock file; `readManifest` reads an installed package.json. */
export function checkLockfile(
  lock: { packages?: Record<string, LockPackage> },
  readManifest: (path: string) => Record<string, unknown> | undefined,
): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === "" || entry.dev) continue;
    const manifest = readManifest(path);
    const name = entry.name ?? String(manifest?.name ?? path.replace(/^.*node_modules\//, ""));
    const version = entry.version ?? String(manifest?.version ?? "");
    const license = (manifest && declaredLicense(manifest)) ?? entry.license;
    const refused = REFUSED.find((r) => r.name === name && r.refuse(version));
    if (refused) {
      findings.push({ path, name, version, license, ok: false, why: refused.why });
    } else if (!license) {
      findings.push({ path, name, version, license, ok: false, why: "no licence declared" });
    } else {
      const ok = isAllowedLicense(license);
      findings.push({
        path,
        name,
        version,
        license,
        ok,
        why: ok ? undefined : `${license} is not allowed`,
      });
    }
  }
  return findings;
}

if (import.meta.main) {
  const lockPath = Deno.args[0] ?? "package-lock.json";
  const root = lockPath.replace(/package-lock\.json$/, "");
  const lock = JSON.parse(await Deno.readTextFile(lockPath));
  const findings = checkLockfile(lock, (path) => {
    try {
      return JSON.parse(Deno.readTextFileSync(`${root}${path}/package.json`));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined; // optional package of another platform
      throw err;
    }
  });
  const bad = findings.filter((f) => !f.ok);
  for (const f of bad) console.error(`licence: ${f.name}@${f.version} (${f.path}): ${f.why}`);
  console.log(
    `licences: ${findings.length - bad.length} runtime packages allowed, ${bad.length} refused`,
  );
  if (bad.length > 0) Deno.exit(1);
}
