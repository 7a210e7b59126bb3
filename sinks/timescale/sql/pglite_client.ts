/** `SqlClient` over PGlite (PostgreSQL in WASM, in-process, persisted to a folder). */
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Row, SqlClient } from "./sql_client.ts";

/** Opens (creating when absent) a PGlite database in `dir`, or in memory when `dir` is unset. */
export async function openPglite(dir?: string): Promise<PGlite> {
  if (dir) await Deno.mkdir(dir, { recursive: true });
  return await PGlite.create(dir ? { dataDir: dir } : {});
}

/** Wraps a PGlite database (or one of its transactions) as a `SqlClient`. */
export function pgliteClient(db: PGlite | Transaction): SqlClient {
  return {
    async query<T extends Row>(text: string, params: unknown[] = []): Promise<T[]> {
      const result = await db.query<T>(text, params);
      return result.rows;
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!("transaction" in db)) return await work(pgliteClient(db));
      return await db.transaction((tx) => work(pgliteClient(tx)));
    },
    async close(): Promise<void> {
      if ("close" in db) await db.close();
    },
  };
}
