/**
 * AdminService in `deno task dev`: served on the ingest's listeners (port 3001) beside
 * QueryService, with a dev admin key kept in the data folder. The service is registered when the
 * ingest starts and bound once the log and the hot store it needs are open.
 */
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { AdminService } from "@analytics/schema";
import { hashWriteKey } from "../../ingest/auth/key_hash.ts";
import type { Logger } from "../../ingest/observability/logger.ts";
import { type ServiceRegistration, serviceRegistration } from "../../ingest/server/mod.ts";
import type { LocalLog } from "../../ingest/stream/local/mod.ts";
import { openSuppressionList } from "../../ingest/suppression/mod.ts";
import type { HotSinkConfig } from "../timescale/config.ts";
import type { HotStore } from "../timescale/open_hot_store.ts";
import { openAdminServices } from "./admin_services.ts";
import { newAdminKey } from "./auth/admin_keys.ts";

/** A service registered now and implemented later; calls before `bind` are `unavailable`. */
export interface LateAdminService {
  registration: ServiceRegistration;
  bind(implementation: ServiceImpl<typeof AdminService>): void;
}

/** Makes the late-bound AdminService registration. */
export function lateAdminService(): LateAdminService {
  let bound: ServiceImpl<typeof AdminService> | undefined;
  const forward = <K extends keyof ServiceImpl<typeof AdminService>>(name: K) =>
  // deno-lint-ignore no-explicit-any
  (request: any, context: any) => {
    if (!bound) throw new ConnectError("the admin service is starting", Code.Unavailable);
    // deno-lint-ignore no-explicit-any
    return (bound[name] as any)(request, context);
  };
  const implementation: ServiceImpl<typeof AdminService> = {
    deleteUser: forward("deleteUser"),
    listSuppressed: forward("listSuppressed"),
    replayDeadLetters: forward("replayDeadLetters"),
    rebuildRange: forward("rebuildRange"),
  };
  return {
    registration: serviceRegistration(AdminService, implementation),
    bind: (impl) => {
      bound = impl;
    },
  };
}

/** The dev admin key, made on first use and kept in `<dataDir>/dev-admin-key`. */
export async function devAdminKey(dataDir: string): Promise<string> {
  const file = `${dataDir}/dev-admin-key`;
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const key = newAdminKey();
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(file, key + "\n", { mode: 0o600, createNew: true });
  return key;
}

/**
 * Binds `late` to an AdminService over the dev process's hot store and embedded log, accepting
 * the dev admin key and any in ADMIN_KEY_HASHES; returns what stops it and its banner lines.
 */
export async function startDevAdmin(options: {
  late: LateAdminService;
  config: HotSinkConfig;
  hot: HotStore;
  log: LocalLog;
  dataDir: string;
  logger: Logger;
}): Promise<{ banner: string[]; stop(): Promise<void> }> {
  const key = await devAdminKey(options.dataDir);
  const config: HotSinkConfig = {
    ...options.config,
    admin: {
      ...options.config.admin,
      keyHashes: [...options.config.admin.keyHashes, hashWriteKey(key)],
    },
  };
  const suppression = await openSuppressionList(
    { kind: "local", dir: options.log.options.dir, topic: config.log.topic },
    { logger: options.logger },
  );
  const admin = await openAdminServices({
    config,
    hot: options.hot,
    suppression,
    sharedLocalLog: options.log,
    logger: options.logger,
  });
  options.late.bind(admin.implementation!);
  return {
    banner: [
      `admin key    ${key}   (AdminService, kept in ${options.dataDir}/dev-admin-key)`,
      "             ADMIN_URL=<ingest http url> ADMIN_KEY=<key> deno task admin delete-user <id>",
    ],
    async stop() {
      await admin.close();
      await suppression.close();
    },
  };
}
