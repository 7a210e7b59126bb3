import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { isAllowedValue, scanRepository, scanText } from "./secrets.ts";

// Secret-like samples are assembled at run time, so this file holds none itself.
const join = (...parts: string[]) => parts.join("");
const random = (n: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") =>
  [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
const password = join("Zx", random(14, "abcdefghijklmnopqrstuvwxyz0123456789"));

Deno.test("each rule finds its kind of secret, and the finding never holds the value", () => {
  const samples: [string, string, string][] = [
    ["key.pem", join("-----BEGIN ", "PRIVATE KEY-----"), "private key"],
    ["id_rsa", join("-----BEGIN OPENSSH ", "PRIVATE KEY-----"), "private key"],
    ["a.ts", `const id = "${join("AKIA", random(16))}";`, "AWS access key id"],
    ["a.yaml", `token: ${join("ghp_", random(36))}`, "GitHub token"],
    ["a.md", join("xoxb-", random(20)), "Slack token"],
    ["a.ts", join("eyJ", random(12), ".eyJ", random(12), ".", random(12)), "JSON web token"],
    ["a.ts", `send("${join("wk_", random(43, "abcdefghijKLMNOP0123456789-_"))}")`, "write key"],
    ["a.md", `postgres://app:${password}@db:5432/x`, "password in a URL"],
    ["a.ts", `const config = { dbPassword: "${password}" };`, "secret in code"],
    ["a.py", `API_KEY = '${password}'`, "secret in code"],
    [".env", `POSTGRES_PASSWORD=${password}`, "secret in configuration"],
    ["values.yaml", `  password: ${password}`, "secret in configuration"],
    ["run.sh", `export S3_SECRET_KEY="\${S3_SECRET_KEY:-${password}}"`, "secret in configuration"],
  ];
  for (const [file, text, rule] of samples) {
    const findings = scanText(file, `first line\n${text}\n`);
    assert.deepEqual(findings.map((f) => [f.line, f.rule]), [[2, rule]], `${file}: ${text}`);
    assert.ok(findings[0].masked.length <= 5, findings[0].masked);
  }
});

Deno.test("placeholders, fixtures, references and prose are not secrets", () => {
  const clean: [string, string][] = [
    [".env.example", "POSTGRES_PASSWORD=replace-with-openssl-rand-hex-24"],
    ["compose.yaml", "PW: ${GRAFANA_ADMIN_PASSWORD:?set it in .env}"],
    ["compose.yaml", "GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD}"],
    ["deploy.md", "--from-literal=S3_SECRET_KEY=<secret>"],
    ["deploy.md", "postgres://analytics:<password>@db/analytics"],
    ["env.sh", "DATABASE_URL=postgres://${ROLE}:${POSTGRES_PASSWORD}@127.0.0.1/x"],
    ["env.sh", 'S3_SECRET_KEY="${S3_SECRET_KEY:-analytics-test-secret}"'],
    ["dev.env", "POSTGRES_PASSWORD=analytics"],
    ["a.ts", "const secretAccessKey = options.secretAccessKey;"],
    ["a.ts", 'const url = "postgres://a:b@127.0.0.1:5432/analytics";'],
    ["a.ts", 'const secretAccessKey = "analytics-test-secret";'],
    ["a.py", '"AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),'],
    [".env.example", "# Grafana's `admin` password:  openssl rand -base64 18"],
    ["k8s.yaml", "secretKeyRef: { name: analytics-secrets, key: S3_SECRET_KEY }"],
    ["a.ts", "const hash = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';"],
  ];
  for (const [file, text] of clean) assert.deepEqual(scanText(file, text), [], `${file}: ${text}`);
  assert.ok(isAllowedValue("${X}") && isAllowedValue("<key>") && isAllowedValue("b"));
  assert.ok(!isAllowedValue(password));
});

Deno.test("the repository holds no credential-like literal", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const findings = await scanRepository(root);
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line}: ${f.rule} (${f.masked})`),
    [],
    "remove them, or use a placeholder or a documented fixture (docs/security.md)",
  );
});
