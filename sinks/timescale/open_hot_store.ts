/** Opens the hot store: PostgreSQL at a URL, or PGlite in a folder; migrated and ready to load. */
import type { EventLoader } from "./load/event_loader.ts";
import { DailyPartitions, daysFrom } from "./load/partitions.ts";
import { PgliteLoader } from "./load/pglite_loader.ts";
import { PostgresLoader } from "./load/postgres_loader.ts";
import { migrate } from "./migrate.ts";
import { openPglite, pgliteClient } from "./sql/pglite_client.ts";
import { connectPostgres, postgresClient } from "./sql/postgres_client.ts";
import type { SqlClient } from "./sql/sql_client.ts";
import { applyTimescale, type TimescaleMode } from "./timescaledb.ts";

/** Daily partitions created at start, from today on. */
const DAYS_AHEAD = 3;

/** Where the hot store lives. */
export type HotStoreTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dir?: string };

/** An open hot store: a query client and a loader over the same database. */
export interface HotStore {
  sql: SqlClient;
  loader: EventLoader;
  /** True when the TimescaleDB path is active. */
  timescale: boolean;
  /** Closes the loader and the query client. */
  close(): Promise<void>;
}

/** Opens the store, applies the migrations (and the TimescaleDB path when asked). */
export async function openHotStore(
  target: HotStoreTarget,
  options: { timescale?: TimescaleMode; retentionDays?: number } = {},
): Promise<HotStore> {
  if (target.kind === "postgres") {
    const loaderPool = connectPostgres(target.url);
    const queryPool = connectPostgres(target.url, { max: 2 });
    const sql = postgresClient(queryPool);
    try {
      await migrate(sql);
      const timescale = await applyTimescale(sql, options.timescale ?? "off", {
        retainFor: options.retentionDays === undefined
          ? undefined
          : options.retentionDays === 0
          ? null
          : `${options.retentionDays} days`,
      });
      if (!timescale) await new DailyPartitions(sql).ensure(daysFrom(new Date(), DAYS_AHEAD));
      const loader = new PostgresLoader(loaderPool);
      return {
        sql,
        loader,
        timescale,
        close: async () => {
          await loader.close();
          await sql.close();
        },
      };
    } catch (error) {
      await loaderPool.end({ timeout: 1 });
      await queryPool.end({ timeout: 1 });
      throw error;
    }
  }
  // One in-process database serves both loading and queries.
  const db = await openPglite(target.dir);
  const sql = pgliteClient(db);
  await migrate(sql);
  await new DailyPartitions(sql).ensure(daysFrom(new Date(), DAYS_AHEAD));
  const loader = new PgliteLoader(db);
  return { sql, loader, timescale: false, close: () => loader.close() };
}
