/**
 * COPY of events into a table through postgres.js that never waits forever for a refused COPY.
 *
 * postgres.js 3.4.9 resolves a COPY's writable stream only when the server completes the COPY: if
 * the server refuses the data after the stream was ended (a unique violation found in the last
 * rows, a bad value), the error reaches no one and the load waited forever (the hang behind the
 * NUL issue). So the caller follows the COPY with its next statement in the same transaction
 * instead of waiting for the stream: that statement fails with 25P02 when the COPY was refused.
 *
 * @module
 */
import type { Writable } from "node:stream";
import type postgres from "postgres";
import type { Event } from "@analytics/schema";
import { COLUMN_LIST } from "../event_row.ts";
import { CopyBytes } from "./copy_bytes.ts";
import { EventRowWriter } from "./event_row_bytes.ts";

/** Rows per chunk written to the COPY stream (large chunks keep COPY fast; ~1 MiB each). */
const COPY_CHUNK_ROWS = 1000;

/** The COPY row writer (it keeps the last second of each timestamp column across batches). */
const ROWS = new EventRowWriter();

/** SQLSTATE of a statement sent in a transaction a failed statement aborted. */
export const IN_FAILED_TRANSACTION = "25P02";

/**
 * Streams the rows of `events` into `table` with COPY and ends the stream. Rejects with the
 * server's error when it refuses the data while the rows are still being sent; otherwise the
 * COPY's outcome shows in the next statement of `tx` (25P02 after a refused COPY), which must
 * follow before the transaction commits.
 */
export async function copyEvents(
  tx: postgres.TransactionSql,
  table: string,
  events: Event[],
): Promise<void> {
  const writable = await tx.unsafe(`COPY ${table} (${COLUMN_LIST}) FROM STDIN`).writable();
  let refused: unknown;
  writable.on("error", (error) => refused ??= error);
  const bytes = new CopyBytes();
  for (let i = 0; i < events.length; i += COPY_CHUNK_ROWS) {
    const end = Math.min(i + COPY_CHUNK_ROWS, events.length);
    for (let j = i; j < end; j++) ROWS.write(bytes, events[j]);
    // Each chunk is handed to the socket before the next is built: no unbounded buffering, and
    // when the last callback has run the stream holds nothing, so ending it sends CopyDone now.
    try {
      await write(writable, bytes.take());
    } catch (error) {
      throw refused ?? error;
    }
  }
  if (refused !== undefined) throw refused;
  writable.end();
}

function write(writable: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    writable.write(chunk, (error) => error ? reject(error) : resolve());
  });
}
