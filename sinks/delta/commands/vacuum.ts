import { LOG_DIR } from "../log/actions.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import type { ObjectStore } from "../storage/object_store.ts";

/** Options of `vacuum`. */
export interface VacuumOptions {
  /** Keep files removed (or written but never committed) less than this long ago. Default 7 days. */
  retentionMs?: number;
  /** List what would be deleted without deleting. */
  dryRun?: boolean;
  /** Clock, for tests. */
  now?: number;
}

/**
 * Deletes data files no live version needs: files not referenced by the latest snapshot whose
 * removal (or, for files never committed, whose write) is older than the retention. Time travel
 * to versions older than the retention may fail afterwards, as with every Delta vacuum.
 * Re-reads the log just before deleting, so a file added by a concurrent commit is never deleted.
 */
export async function vacuum(objects: ObjectStore, options: VacuumOptions = {}): Promise<string[]> {
  const retentionMs = options.retentionMs ?? 7 * 86_400_000;
  const cutoff = (options.now ?? Date.now()) - retentionMs;
  const snapshot = await loadSnapshot(objects);
  const candidates: string[] = [];
  for (const object of await objects.list("")) {
    if (object.key.startsWith(`${LOG_DIR}/`) || !object.key.endsWith(".parquet")) continue;
    if (snapshot.files.has(object.key)) continue;
    const removed = snapshot.tombstones.get(object.key)?.deletionTimestamp;
    const since = removed ?? object.lastModified.getTime();
    if (since < cutoff) candidates.push(object.key);
  }
  await snapshot.update(objects);
  const deletable = candidates.filter((key) => !snapshot.files.has(key));
  if (!options.dryRun) { for (const key of deletable) await objects.delete(key); }
  return deletable;
}
