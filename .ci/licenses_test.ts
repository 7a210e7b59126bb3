import assert from "node:assert/strict";
import { checkLockfile, declaredLicense, isAllowedLicense } from "./licenses.ts";

Deno.test("isAllowedLicense: permissive ids and expressions of them", () => {
  for (
    const ok of [
      "MIT",
      "Apache-2.0",
      "(Apache-2.0 AND BSD-3-Clause)",
      "MIT OR GPL-3.0",
      "ISC",
      "0BSD",
    ]
  ) {
    assert.ok(isAllowedLicense(ok), ok);
  }
  assert.ok(isAllowedLicense("Apache-2.0 WITH LLVM-exception"));
  assert.ok(isAllowedLicense("(MIT AND (BSD-2-Clause OR GPL-2.0))"));
});

Deno.test("isAllowedLicense: copyleft, unknown and malformed expressions are refused", () => {
  for (
    const bad of [
      "AGPL-3.0-or-later",
      "GPL-3.0",
      "MIT AND GPL-3.0",
      "SEE LICENSE IN LICENSE",
      "",
      "(MIT",
      "MIT OR",
    ]
  ) {
    assert.equal(isAllowedLicense(bad), false, bad);
  }
});

Deno.test("declaredLicense: string, object and legacy array forms", () => {
  assert.equal(declaredLicense({ license: "MIT" }), "MIT");
  assert.equal(declaredLicense({ license: { type: "ISC" } }), "ISC");
  assert.equal(
    declaredLicense({ licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] }),
    "(MIT) OR (Apache-2.0)",
  );
  assert.equal(declaredLicense({}), undefined);
});

Deno.test("checkLockfile: dev packages are skipped; ua-parser-js 2.x and AGPL fail", () => {
  const lock = {
    packages: {
      "": { name: "root" },
      "node_modules/ok": { version: "1.0.0", license: "MIT" },
      "node_modules/tool": { version: "1.0.0", license: "GPL-3.0", dev: true },
      "node_modules/ua-parser-js": { version: "2.0.3", license: "MIT" },
      "node_modules/agpl": { version: "1.0.0" },
      "node_modules/none": { version: "1.0.0" },
    },
  };
  const manifests: Record<string, Record<string, unknown>> = {
    "node_modules/agpl": { name: "agpl", license: "AGPL-3.0-only" },
  };
  const findings = checkLockfile(lock, (path) => manifests[path]);
  const verdict = Object.fromEntries(findings.map((f) => [f.name, f.ok]));
  assert.deepEqual(verdict, { ok: true, "ua-parser-js": false, agpl: false, none: false });
  assert.match(findings.find((f) => f.name === "ua-parser-js")!.why!, /AGPL/);
});

Deno.test("checkLockfile: ua-parser-js 1.x is allowed", () => {
  const findings = checkLockfile({
    packages: { "node_modules/ua-parser-js": { version: "1.0.41", license: "MIT" } },
  }, () => undefined);
  assert.equal(findings[0].ok, true);
});
