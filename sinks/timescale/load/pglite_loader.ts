/**
 * Loads batches into PGlite with multi-row INSERT ... ON CONFLICT DO NOTHING in one transaction
 * (COPY through PGlite's socket hangs; in-process, INSERT is what there is).
 */
import type { PGlite } from "@electric-sql/pglite";
import type { Event } from "@analytics/schema";
import { COLUMN_LIST, EVENT_COLUMNS, eventDays, eventRow } from "../event_row.ts";
import { pgliteClient } from "../sql/pglite_client.ts";
import type { SqlClient } from "../sql/sql_client.ts";
import type { EventLoader } from "./event_loader.ts";
import { insertNewEventsSql } from "./insert_sql.ts";
import { DailyPartitions } from "./partitions.ts";

/** Rows per INSERT statement (well under PostgreSQL's 65 535 parameters). */
const INSERT_CHUNK_ROWS = 500;

/** The PGlite `EventLoader` (closes the database on `close`). */
export class PgliteLoader implements EventLoader {
  readonly #sql: SqlClient;
  readonly #partitions: DailyPartitions;

  /** Loads into `db`. */
  constructor(db: PGlite) {
    this.#sql = pgliteClient(db);
    this.#partitions = new DailyPartitions(this.#sql);
  }

  /** Stores the new events of the batch; returns how many rows were inserted. */
  async load(events: Event[]): Promise<number> {
    if (events.length === 0) return 0;
    await this.#partitions.ensure(eventDays(events));
    return await this.#sql.transaction(async (tx) => {
      let inserted = 0;
      for (let i = 0; i < events.length; i += INSERT_CHUNK_ROWS) {
        const chunk = events.slice(i, i + INSERT_CHUNK_ROWS);
        const [row] = await tx.query<{ inserted: number }>(
          insertNewEventsSql(valuesSource(chunk.length)),
          chunk.flatMap(eventRow),
        );
        inserted += Number(row.inserted);
      }
      return inserted;
    });
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.#sql.close();
  }
}

/** `(VALUES ($1::uuid, ...), ...) AS v(columns)` for `rows` rows. */
function valuesSource(rows: number): string {
  const width = EVENT_COLUMNS.length;
  const tuples = Array.from(
    { length: rows },
    (_, r) =>
      "(" + EVENT_COLUMNS.map((c, i) => `$${r * width + i + 1}::${c.type}`).join(", ") + ")",
  );
  return `(VALUES ${tuples.join(",\n")}) AS v(${COLUMN_LIST})`;
}
