import assert from "node:assert/strict";
import { auditOutcome } from "./npm_audit.ts";

const report = (vulnerabilities: Record<string, unknown>, counts: Record<string, number>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: {
      vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts },
    },
  });

Deno.test("a report without high or critical advisories is clean", () => {
  const outcome = auditOutcome(
    report({ tar: { severity: "moderate", range: "<6.2.1" } }, { moderate: 1 }),
  );
  assert.deepEqual(outcome, {
    kind: "clean",
    summary: "0 critical, 0 high, 1 moderate, 0 low",
  });
});

Deno.test("high and critical advisories are listed with their ranges", () => {
  const outcome = auditOutcome(report({
    "node-fetch": { severity: "high", range: "<2.6.7" },
    minimist: { severity: "critical" },
    debug: { severity: "low" },
  }, { high: 1, critical: 1, low: 1 }));
  assert.deepEqual(outcome, {
    kind: "vulnerable",
    summary: "1 critical, 1 high, 0 moderate, 1 low",
    packages: ["minimist (critical)", "node-fetch (high, <2.6.7)"],
  });
});

Deno.test("a refused endpoint or no report is unavailable, with the reason", () => {
  // What this machine's registry answers: POST .../advisories/bulk is not allowed.
  const refused = JSON.stringify({
    message:
      "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    statusCode: 405,
    error: { summary: "", detail: "" },
  });
  const outcome = auditOutcome(refused);
  assert.equal(outcome.kind, "unavailable");
  assert.match((outcome as { reason: string }).reason, /^405 Method Not Allowed - POST/);
  assert.deepEqual(auditOutcome(JSON.stringify({ error: { code: "ETIMEDOUT", summary: "x" } })), {
    kind: "unavailable",
    reason: "ETIMEDOUT x",
  });
  assert.equal(auditOutcome("npm ERR! network").kind, "unavailable");
});
