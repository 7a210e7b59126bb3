/**
 * Loads batches into PostgreSQL, exactly once per (event_id, event_time), in one transaction per
 * batch with its rollup. Fast path: COPY straight into `analytics_events` (a COPY is atomic: one
 * duplicate refuses the whole batch and leaves nothing). A batch refused so (a redelivery, a
 * replay) is loaded again by the merge path: COPY into a temporary staging table, then insert the
 * new rows with ON CONFLICT DO NOTHING, counting only those in the rollup.
 */
import type postgres from "postgres";
import type { Event } from "@analytics/schema";
import { eventDays } from "../event_row.ts";
import { postgresClient } from "../sql/postgres_client.ts";
import { copyEvents, IN_FAILED_TRANSACTION } from "./copy_into.ts";
import type { EventLoader } from "./event_loader.ts";
import { insertNewEventsSql } from "./insert_sql.ts";
import { ADD_MINUTE_COUNTS_SQL, minuteCounts } from "./minute_counts.ts";
import { DailyPartitions } from "./partitions.ts";

/** SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = "23505";

/** How many batches took each path since start. */
export interface LoadPaths {
  /** Batches COPYed straight into the table. */
  copied: number;
  /** Batches loaded by staging + ON CONFLICT after the straight COPY was refused. */
  merged: number;
}

/** The PostgreSQL `EventLoader` over a postgres.js pool (closed by `close`). */
export class PostgresLoader implements EventLoader {
  readonly #partitions: DailyPartitions;
  /** Batches per path, for tests and logs. */
  readonly paths: LoadPaths = { copied: 0, merged: 0 };

  /** Loads through `sql`. */
  constructor(private readonly sql: postgres.Sql) {
    this.#partitions = new DailyPartitions(postgresClient(sql));
  }

  /** Stores the new events of the batch; returns how many rows were inserted. */
  async load(events: Event[]): Promise<number> {
    if (events.length === 0) return 0;
    await this.#partitions.ensure(eventDays(events));
    if (await this.#copyAll(events)) {
      this.paths.copied++;
      return events.length;
    }
    const inserted = await this.#merge(events);
    this.paths.merged++;
    return inserted;
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  /** COPY straight into the table; false (nothing stored) when a row is already there. */
  async #copyAll(events: Event[]): Promise<boolean> {
    try {
      await this.sql.begin(async (tx) => {
        await copyEvents(tx, "analytics_events", events);
        await tx.unsafe(ADD_MINUTE_COUNTS_SQL, [JSON.stringify(minuteCounts(events))]);
      });
      return true;
    } catch (error) {
      // 25P02: the COPY was refused after its last rows were sent (see copy_into.ts), and the
      // reason was lost; the merge path loads duplicates and reports any other refusal.
      const code = (error as { code?: unknown }).code;
      if (code === UNIQUE_VIOLATION || code === IN_FAILED_TRANSACTION) return false;
      throw error;
    }
  }

  /** Staging + ON CONFLICT DO NOTHING; the rollup counts only the rows inserted. */
  async #merge(events: Event[]): Promise<number> {
    return await this.sql.begin(async (tx) => {
      await tx.unsafe(
        "CREATE TEMP TABLE analytics_events_staging (LIKE analytics_events) ON COMMIT DROP",
      );
      await copyEvents(tx, "analytics_events_staging", events);
      try {
        const [row] = await tx.unsafe(insertNewEventsSql("analytics_events_staging"));
        return Number(row.inserted);
      } catch (error) {
        if ((error as { code?: unknown }).code !== IN_FAILED_TRANSACTION) throw error;
        throw new Error(
          "PostgreSQL refused the batch's COPY into the staging table (postgres.js did not " +
            "pass on the server's reason; its log has it)",
          { cause: error },
        );
      }
    });
  }
}
