/**
 * Loads batches into PostgreSQL: COPY into a temporary staging table, then insert the new rows
 * with ON CONFLICT DO NOTHING and refresh the rollups, all in one transaction.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import type { Event } from "@analytics/schema";
import { COLUMN_LIST, eventDays } from "../event_row.ts";
import { postgresClient } from "../sql/postgres_client.ts";
import { CopyBytes } from "./copy_bytes.ts";
import type { EventLoader } from "./event_loader.ts";
import { insertNewEventsSql } from "./insert_sql.ts";
import { DailyPartitions } from "./partitions.ts";

/** Rows per chunk written to the COPY stream (large chunks keep COPY fast; ~1 MiB each). */
const COPY_CHUNK_ROWS = 1000;

/** The PostgreSQL `EventLoader` over a postgres.js pool (closed by `close`). */
export class PostgresLoader implements EventLoader {
  readonly #partitions: DailyPartitions;

  /** Loads through `sql`. */
  constructor(private readonly sql: postgres.Sql) {
    this.#partitions = new DailyPartitions(postgresClient(sql));
  }

  /** Stores the new events of the batch; returns how many rows were inserted. */
  async load(events: Event[]): Promise<number> {
    if (events.length === 0) return 0;
    await this.#partitions.ensure(eventDays(events));
    return await this.sql.begin(async (tx) => {
      await tx.unsafe(
        "CREATE TEMP TABLE analytics_events_staging (LIKE analytics_events) ON COMMIT DROP",
      );
      const writable = await tx.unsafe(
        `COPY analytics_events_staging (${COLUMN_LIST}) FROM STDIN`,
      ).writable();
      await pipeline(Readable.from(copyChunks(events)), writable);
      const [row] = await tx.unsafe(insertNewEventsSql("analytics_events_staging"));
      return Number(row.inserted);
    });
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

function* copyChunks(events: Event[]): Generator<Uint8Array> {
  const bytes = new CopyBytes();
  for (let i = 0; i < events.length; i += COPY_CHUNK_ROWS) {
    const end = Math.min(i + COPY_CHUNK_ROWS, events.length);
    for (let j = i; j < end; j++) bytes.writeEvent(events[j]);
    yield bytes.take();
  }
}
