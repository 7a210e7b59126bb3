/**
 * Secret scan: finds credential-like literals in the repository's files (tracked, and new files
 * not ignored by git): private keys, cloud and chat tokens, our own `wk_` write keys, passwords in
 * URLs and `PASSWORD=`/`secret: "..."` assignments. Documented test fixtures (the credentials of
 * the local test services, docs/security.md) and placeholders (`${VAR}`, `<secret>`,
 * `replace-with-...`) are allowed. Findings name the file, line and rule, never the value.
 *
 *   deno run --allow-read --allow-run=git .ci/secrets.ts     exit 1 when something is found
 *
 * @module
 */

/** One credential-like literal found in a file. */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  /** The first characters of the value, the rest masked. */
  masked: string;
}

/**
 * Credentials of the local test and dev services, which guard servers bound to 127.0.0.1 in tests
 * and the compose dev profile only: documented in docs/security.md, never used in production.
 */
export const FIXTURE_SECRETS: ReadonlySet<string> = new Set([
  "analytics", // PostgreSQL role of deploy/postgres and the dev profile
  "analytics-test", // S3 access key id of deploy/s3 (s3proxy) and the dev profile
  "analytics-test-secret", // its secret key
  "analytics-dev", // Grafana admin password of the compose dev profile
]);

interface Rule {
  name: string;
  pattern: RegExp;
  /** The capture group holding the secret; the whole match when absent. */
  group?: number;
  /** Only in these kinds of file. */
  only?: (file: string) => boolean;
  /** Values that may be placeholders or fixtures are checked against the allowlists. */
  allowPlaceholders?: boolean;
  /** Skip comment lines (prose such as "password: openssl rand ..."). */
  codeOnly?: boolean;
}

const CODE_FILE = /\.(ts|tsx|js|mjs|cjs|json|jsonc|py)$/;
const COMMENT = /^\s*(#|\/\/|\*|\/\*|<!--)/;
const NAME = "[A-Za-z0-9_]*(?:PASSWORD|PASSWD|SECRET|SECRET_KEY|API_KEY|APIKEY|ACCESS_TOKEN|" +
  "AUTH_TOKEN|PRIVATE_KEY)[A-Za-z0-9_]*";

const RULES: readonly Rule[] = [
  { name: "private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{40,})/ },
  { name: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: "JSON web token", pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/ },
  { name: "write key", pattern: /\bwk_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/ },
  {
    name: "password in a URL",
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]+:([^\s/@'"`]+)@/i,
    group: 1,
    allowPlaceholders: true,
  },
  {
    // In code a secret is a quoted literal; `secret: options.secret` is not one.
    name: "secret in code",
    pattern: new RegExp(`\\b${NAME}["']?\\s*[:=]\\s*(["'\`])([^"'\`\\s]{6,})\\1`, "i"),
    group: 2,
    only: (file) => CODE_FILE.test(file),
    allowPlaceholders: true,
    codeOnly: true,
  },
  {
    name: "secret in configuration",
    pattern: new RegExp(`\\b${NAME}["']?\\s*[:=]\\s*["']?([^\\s"'$<{(\\[][^\\s"',;)}]{5,})`, "i"),
    group: 1,
    only: (file) => !CODE_FILE.test(file),
    allowPlaceholders: true,
    codeOnly: true,
  },
];

const PLACEHOLDER = [
  /^[$<{*…]/, // ${VAR}, $VAR, <secret>, {{ .secret }}, ***
  /\$\{/,
  /^(replace[-_]with|change[-_]?me|your[-_]|example|placeholder|dummy|redacted)/i,
  /^(secret|password|passwd|pass|test|x+|\.+|true|false|null|none|undefined|required)$/i,
];

/**
 * True when `value` is a placeholder, a documented fixture or too short to be a secret (`a:b@`
 * in a parser test). A shell default (`${S3_SECRET_KEY:-value}`) is judged by its value.
 */
export function isAllowedValue(value: string): boolean {
  const bare = value.replace(/^:?[-=]/, "");
  return bare.length < 4 || FIXTURE_SECRETS.has(bare) || PLACEHOLDER.some((p) => p.test(bare));
}

/** The findings in one file's text. */
export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    for (const rule of RULES) {
      if (rule.only && !rule.only(file)) continue;
      if (rule.codeOnly && COMMENT.test(line)) continue;
      const global = new RegExp(rule.pattern.source, rule.pattern.flags + "g");
      for (const match of line.matchAll(global)) {
        const value = match[rule.group ?? 0];
        if (rule.allowPlaceholders && isAllowedValue(value)) continue;
        findings.push({ file, line: index + 1, rule: rule.name, masked: mask(value) });
      }
    }
  });
  return findings;
}

function mask(value: string): string {
  return value.slice(0, Math.min(4, Math.floor(value.length / 4))) + "…";
}

/** Files the scan reads: git's tracked and untracked-but-not-ignored files under `root`. */
export async function repositoryFiles(root: string): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`git ls-files failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).split("\0").filter((f) => f !== "");
}

/** Scans every text file of the repository at `root` (binary and files over 4 MB skipped). */
export async function scanRepository(root: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of await repositoryFiles(root)) {
    let bytes: Uint8Array;
    try {
      const info = await Deno.stat(`${root}/${file}`);
      if (!info.isFile || info.size > 4 * 1024 * 1024) continue;
      bytes = await Deno.readFile(`${root}/${file}`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // deleted, not yet committed
      throw error;
    }
    if (bytes.subarray(0, 8192).includes(0)) continue; // binary
    findings.push(...scanText(file, new TextDecoder().decode(bytes)));
  }
  return findings;
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  const findings = await scanRepository(root);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.rule} (${f.masked})`);
  if (findings.length > 0) {
    console.error(
      `${findings.length} credential-like literal(s): remove them, or use a placeholder or a ` +
        "documented fixture (docs/security.md)",
    );
    Deno.exit(1);
  }
  console.log("no credentials found");
}
