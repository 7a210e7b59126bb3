/** `SqlClient` over postgres.js. */
import postgres from "postgres";
import type { Row, SqlClient } from "./sql_client.ts";

/** A postgres.js connection pool or transaction handle. */
export type PostgresSql = postgres.Sql | postgres.TransactionSql;

/** Options of `connectPostgres`. */
export interface PostgresOptions {
  /** Pool size. Default 4. */
  max?: number;
  /** Seconds to wait for a connection. Default 10. */
  connectTimeoutS?: number;
}

/** Opens a postgres.js pool on `url` (no connection is made until the first query). */
export function connectPostgres(url: string, options: PostgresOptions = {}): postgres.Sql {
  return postgres(url, {
    max: options.max ?? 4,
    connect_timeout: options.connectTimeoutS ?? 10,
    onnotice: () => {},
    // Timestamps and big integers come back as strings: exact, and rebuilt by the caller.
    types: {
      bigint: { to: 20, from: [20], serialize: String, parse: String },
    },
    fetch_types: false,
  });
}

/** Wraps a postgres.js pool (or transaction) as a `SqlClient`. */
export function postgresClient(sql: PostgresSql): SqlClient {
  return {
    async query<T extends Row>(text: string, params: unknown[] = []): Promise<T[]> {
      // deno-lint-ignore no-explicit-any
      const rows = await sql.unsafe(text, params as any[]);
      return [...rows] as unknown as T[];
    },
    async exec(script: string): Promise<void> {
      await sql.unsafe(script).simple();
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (!("begin" in sql)) return await work(postgresClient(sql));
      return await sql.begin((tx) => work(postgresClient(tx))) as T;
    },
    async close(): Promise<void> {
      if ("end" in sql) await sql.end({ timeout: 5 });
    },
  };
}
