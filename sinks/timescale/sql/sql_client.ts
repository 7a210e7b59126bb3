/**
 * The small SQL surface the hot store needs (migrations, loading by INSERT, queries), over
 * postgres.js or PGlite: the same SQL runs on both.
 */

/** A row as returned by a query: column name to value. */
export type Row = Record<string, unknown>;

/** Runs SQL against PostgreSQL or PGlite. */
export interface SqlClient {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<T extends Row = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; commits when it resolves. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Releases connections (or the in-process database). */
  close(): Promise<void>;
}
