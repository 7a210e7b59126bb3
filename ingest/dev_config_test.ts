import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { hashWriteKey, newWriteKey } from "./auth/mod.ts";
import { DEV_KEY_SOURCE, DEV_LEGACY_SOURCE, devIngestConfig } from "./dev.ts";

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
