/**
 * Applies the numbered SQL files of `migrations/` in order, each at most once, in one
 * transaction under an advisory lock (two sinks starting together apply them once), recording
 * each version in `schema_migrations`.
 */
import type { SqlClient } from "./sql/sql_client.ts";

/** One migration: its number, name and SQL. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Arbitrary constant naming the migration lock among advisory locks. */
const MIGRATION_LOCK_KEY = 7_240_517_001;

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

/** Reads `NNNN_name.sql` files from `dir` (default: the repository's migrations), in order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: Number(match[1]), name: match[2], sql });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`two migrations numbered ${migrations[i].version}`);
    }
  }
  return migrations;
}

/** Applies the migrations not yet recorded; returns the versions applied now. */
export async function migrate(
  sql: SqlClient,
  migrations?: Migration[],
): Promise<number[]> {
  const all = migrations ?? await loadMigrations();
  return await sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => Number(r.version)));
    const now: number[] = [];
    for (const migration of all) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      now.push(migration.version);
    }
    return now;
  });
}
