import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { DEV_KEY_SOURCE, DEV_LEGACY_SOURCE, devIngestConfig, devSitePort } from "./dev.ts";

Deno.test("dev config adds the dev key to keys configured as JSON", () => {
  const userKey = newWriteKey();
  const devKey = newWriteKey();
  const json = JSON.stringify([{ source: "site", sha256: hashWriteKey(userKey) }]);
  const config = devIngestConfig({ INGEST_WRITE_KEYS: json }, "/tmp/dev-data", devKey);
  deepStrictEqual(config.writeKeys.map((k) => k.source), ["site", DEV_KEY_SOURCE]);
  strictEqual(config.writeKeys[1].keyHash, hashWriteKey(devKey));
});

Deno.test("dev config adds the dev key to compact keys and sets the dev defaults", () => {
  const devKey = newWriteKey();
  const compact = `site:${hashWriteKey(newWriteKey())}:web`;
  const config = devIngestConfig({ INGEST_WRITE_KEYS: compact }, "/tmp/dev-data", devKey);
  deepStrictEqual(config.writeKeys.map((k) => k.source), ["site", DEV_KEY_SOURCE]);
  strictEqual(config.legacySource, DEV_LEGACY_SOURCE);
  strictEqual(config.logDir, "/tmp/dev-data/log");
});

Deno.test("dev config: CORS follows DEV_SITE_PORT (8080 by default); a bad port names the variable", () => {
  const key = newWriteKey();
  deepStrictEqual(devIngestConfig({}, "/tmp/dev-data", key).corsOrigins, [
    "http://localhost:8080",
    "http://127.0.0.1:8080",
  ]);
  deepStrictEqual(
    devIngestConfig({ DEV_SITE_PORT: "18080" }, "/tmp/dev-data", key).corsOrigins,
    ["http://localhost:18080", "http://127.0.0.1:18080"],
  );
  deepStrictEqual(
    devIngestConfig({ DEV_SITE_PORT: "18080", INGEST_CORS_ORIGINS: "https://a.example" }, "/d", key)
      .corsOrigins,
    ["https://a.example"],
  );
  strictEqual(devSitePort({ DEV_SITE_PORT: "0" }), 0);
  throws(() => devSitePort({ DEV_SITE_PORT: "80a" }), /DEV_SITE_PORT/);
  throws(() => devSitePort({ DEV_SITE_PORT: "70000" }), /DEV_SITE_PORT/);
});
