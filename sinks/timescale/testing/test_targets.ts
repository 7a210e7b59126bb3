/**
 * Hot-store targets for tests: PostgreSQL at DATABASE_URL (default the deploy/ cluster) in a
 * fresh schema per test, and PGlite in a temporary folder. PostgreSQL tests fail under CI=true
 * when the server is unreachable; elsewhere they are ignored with a warning, never silently.
 */
import postgres from "postgres";
import { type HotStore, openHotStore } from "../open_hot_store.ts";

/** The test database URL. */
export const DATABASE_URL = Deno.env.get("DATABASE_URL") ??
  "postgres://analytics:analytics@127.0.0.1:5432/analytics";

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** True when PostgreSQL tests should be ignored (unreachable outside CI). */
export const IGNORE_POSTGRES = await (async () => {
  if (await reachable(DATABASE_URL)) return false;
  if (Deno.env.get("CI") === "true") return false; // run, and fail loudly
  console.warn(
    `PostgreSQL unreachable at ${DATABASE_URL}: its tests are IGNORED (run deploy/up.sh)`,
  );
  return true;
})();

/** A store for a test and how to remove what it made. */
export interface TestStore {
  store: HotStore;
  /** The URL the store uses (PostgreSQL only), with its own schema. */
  url?: string;
  dispose(): Promise<void>;
}

/** Opens a hot store of `kind` in a fresh schema (PostgreSQL) or folder (PGlite). */
export async function openTestStore(kind: "postgres" | "pglite"): Promise<TestStore> {
  if (kind === "pglite") {
    const dir = await Deno.makeTempDir({ prefix: "pglite-" });
    const store = await openHotStore({ kind: "pglite", dir });
    return {
      store,
      dispose: async () => {
        await store.close();
        await Deno.remove(dir, { recursive: true });
      },
    };
  }
  const schema = `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE SCHEMA ${schema}`);
  const url = `${DATABASE_URL}${DATABASE_URL.includes("?") ? "&" : "?"}search_path=${schema}`;
  const store = await openHotStore({ kind: "postgres", url });
  return {
    store,
    url,
    dispose: async () => {
      await store.close();
      await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end({ timeout: 2 });
    },
  };
}
