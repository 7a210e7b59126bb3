/**
 * Dependency audit of the runtime npm packages: `npm audit --omit=dev --audit-level=high`.
 * Exit 0: no high or critical advisory. Exit 1: some, listed. Exit 3: the audit could not be
 * made (endpoint refused, registry slow or unreachable): CI reports that as skipped with the
 * reason, never as passed (.ci/test.sh).
 *
 *   deno run --allow-run=npm --allow-read .ci/npm_audit.ts [timeout seconds, default 90]
 *
 * @module
 */

/** Exit code of an audit that could not be made. */
export const UNAVAILABLE = 3;

/** What one audit run says. */
export type AuditOutcome =
  | { kind: "clean"; summary: string }
  | { kind: "vulnerable"; summary: string; packages: string[] }
  | { kind: "unavailable"; reason: string };

const BLOCKING = new Set(["high", "critical"]);

/** Reads `npm audit --json` output (npm 7+, report version 2) into an outcome. */
export function auditOutcome(stdout: string): AuditOutcome {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(stdout);
  } catch {
    return {
      kind: "unavailable",
      reason: `npm audit printed no JSON report: ${stdout.slice(0, 200)}`,
    };
  }
  const vulnerabilities = report.vulnerabilities as
    | Record<string, { severity?: string; via?: unknown[]; range?: string }>
    | undefined;
  const counts = (report.metadata as { vulnerabilities?: Record<string, number> } | undefined)
    ?.vulnerabilities;
  if (vulnerabilities === undefined || counts === undefined) {
    const error = report.error as { summary?: string; code?: string } | undefined;
    const reason = [report.message ?? report.statusCode, error?.code, error?.summary]
      .filter((part) => part !== undefined && part !== "").join(" ");
    return { kind: "unavailable", reason: reason || "no vulnerability report in the answer" };
  }
  const summary = ["critical", "high", "moderate", "low"]
    .map((level) => `${counts[level] ?? 0} ${level}`).join(", ");
  const packages = Object.entries(vulnerabilities)
    .filter(([, v]) => BLOCKING.has(v.severity ?? ""))
    .map(([name, v]) => `${name} (${v.severity}${v.range ? `, ${v.range}` : ""})`)
    .sort();
  return packages.length === 0
    ? { kind: "clean", summary }
    : { kind: "vulnerable", summary, packages };
}

/** Runs the audit with a time limit; a timeout or a failure to start is "unavailable". */
export async function runNpmAudit(timeoutMs: number, cwd: string): Promise<AuditOutcome> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("npm", {
      args: ["audit", "--omit=dev", "--audit-level=high", "--json"],
      cwd,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    return { kind: "unavailable", reason: `npm audit did not run: ${(error as Error).message}` };
  }
  if (output.signal !== null) {
    return { kind: "unavailable", reason: `no answer within ${timeoutMs / 1000} s (timed out)` };
  }
  return auditOutcome(new TextDecoder().decode(output.stdout));
}

if (import.meta.main) {
  const seconds = Number(Deno.args[0] ?? 90);
  const root = new URL("../", import.meta.url).pathname;
  const outcome = await runNpmAudit(seconds * 1000, root);
  if (outcome.kind === "clean") {
    console.log(`npm audit (runtime dependencies): ${outcome.summary}; nothing high or critical`);
  } else if (outcome.kind === "vulnerable") {
    console.error(`npm audit (runtime dependencies): ${outcome.summary}`);
    for (const name of outcome.packages) console.error(`  ${name}`);
    console.error("update them (npm update / a pinned fix) or replace them; see `npm audit`");
    Deno.exit(1);
  } else {
    console.error(`npm audit unavailable: ${outcome.reason}`);
    Deno.exit(UNAVAILABLE);
  }
}
