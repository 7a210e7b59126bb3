/** `analytics.v1.AdminService`: privacy and recovery operations behind the admin keys. */
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  type AdminService,
  DeletionReportSchema,
  RebuildStore,
  SuppressedIdSchema,
} from "@analytics/schema";
import type { Logger } from "../../ingest/observability/logger.ts";
import type { SuppressionList } from "../../ingest/suppression/mod.ts";
import type { AdminKeys } from "./auth/admin_keys.ts";
import { deleteUser, type DeletionDeps } from "./delete_user.ts";
import type { RebuildCounts, ReplayCounts } from "./replay_counts.ts";

/** What the admin service runs; replay and rebuild are absent where they cannot run. */
export interface AdminServiceDeps {
  keys: AdminKeys;
  deletion: DeletionDeps;
  suppression: SuppressionList;
  /** Republishes up to `maxRecords` dead letters (0: all there are now). */
  replayDeadLetters?: (maxRecords: number) => Promise<ReplayCounts>;
  /** Rewrites `store` from the event topic's records appended in [from, to). */
  rebuildRange?: (store: "hot" | "lake", from: Date, to: Date) => Promise<RebuildCounts>;
}

/** The AdminService handlers; every call is authorised by an admin key first. */
export function createAdminService(deps: AdminServiceDeps): ServiceImpl<typeof AdminService> {
  const authorize = (context: HandlerContext) => deps.keys.authorize(context.requestHeader);
  return logFailures({
    async deleteUser(request, context) {
      authorize(context);
      const userId = request.userId;
      if (userId.trim() === "") throw invalid("user_id", "is required");
      if (userId.length > 128) throw invalid("user_id", "must be at most 128 characters");
      const d = await deleteUser(deps.deletion, userId);
      return {
        report: create(DeletionReportSchema, {
          deletionId: d.deletionId,
          userId: d.userId,
          anonymousIds: d.anonymousIds,
          hotEventsDeleted: BigInt(d.hotEventsDeleted),
          lakeEventsDeleted: BigInt(d.lakeEventsDeleted),
          lakeFilesRewritten: d.lakeFilesRewritten,
          lakeVersion: d.lakeVersion === undefined ? undefined : BigInt(d.lakeVersion),
          finishedAt: timestampFromDate(d.finishedAt),
        }),
      };
    },

    async listSuppressed(request, context) {
      authorize(context);
      const limit = request.limit === 0 ? 1000 : request.limit;
      if (limit > 100_000) throw invalid("limit", "must be at most 100000");
      await deps.suppression.refresh();
      const entries = deps.suppression.entries();
      return {
        total: entries.length,
        ids: entries.slice(0, limit).map((e) =>
          create(SuppressedIdSchema, {
            id: e.id,
            kind: e.kind,
            deletionId: e.deletionId,
            suppressedAt: timestampFromMs(e.at),
          })
        ),
      };
    },

    async replayDeadLetters(request, context) {
      authorize(context);
      if (!deps.replayDeadLetters) throw unavailableHere("ReplayDeadLetters");
      const counts = await deps.replayDeadLetters(request.maxRecords);
      return {
        read: BigInt(counts.read),
        republished: BigInt(counts.republished),
        suppressed: BigInt(counts.suppressed),
      };
    },

    async rebuildRange(request, context) {
      authorize(context);
      if (!deps.rebuildRange) throw unavailableHere("RebuildRange");
      const store = request.store === RebuildStore.HOT
        ? "hot"
        : request.store === RebuildStore.LAKE
        ? "lake"
        : undefined;
      if (store === undefined) throw invalid("store", "must be REBUILD_STORE_HOT or _LAKE");
      if (!request.from) throw invalid("from", "is required");
      if (!request.to) throw invalid("to", "is required");
      const from = timestampDate(request.from);
      const to = timestampDate(request.to);
      if (to <= from) throw invalid("to", "must be after from");
      const counts = await deps.rebuildRange(store, from, to);
      return {
        read: BigInt(counts.read),
        written: BigInt(counts.written),
        suppressed: BigInt(counts.suppressed),
        undecodable: BigInt(counts.undecodable),
      };
    },
  }, deps.deletion.logger);
}

/** Wraps each handler so a failure that is not a ConnectError is logged with its cause. */
function logFailures(
  service: ServiceImpl<typeof AdminService>,
  logger: Logger,
): ServiceImpl<typeof AdminService> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(service)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (!(error instanceof ConnectError)) {
          logger.error("admin operation failed", { rpc: name, error });
        }
        throw error;
      }
    };
  }
  return wrapped as ServiceImpl<typeof AdminService>;
}

function invalid(field: string, reason: string): ConnectError {
  return new ConnectError(`${field}: ${reason}`, Code.InvalidArgument);
}

function unavailableHere(rpc: string): ConnectError {
  return new ConnectError(
    `${rpc} is not available on this server (it has no event log or store for it)`,
    Code.Unimplemented,
  );
}
