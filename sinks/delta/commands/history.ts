import { commitKey, decodeCommit } from "../log/actions.ts";
import type { ObjectStore } from "../storage/object_store.ts";

/** One commit of the table's history. */
export interface HistoryEntry {
  version: number;
  timestamp: number | undefined;
  operation: string | undefined;
  operationParameters: Record<string, string> | undefined;
  adds: number;
  removes: number;
}

/** The table's commits, newest first (at most `limit`). Reads JSON commits, not checkpoints. */
export async function history(objects: ObjectStore, limit = Infinity): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (let version = 0;; version++) {
    const bytes = await objects.get(commitKey(version));
    if (bytes === undefined) break;
    const actions = decodeCommit(bytes);
    const info = actions.find((a) => "commitInfo" in a);
    const commitInfo = info && "commitInfo" in info ? info.commitInfo : undefined;
    entries.push({
      version,
      timestamp: commitInfo?.timestamp,
      operation: commitInfo?.operation,
      operationParameters: commitInfo?.operationParameters,
      adds: actions.filter((a) => "add" in a).length,
      removes: actions.filter((a) => "remove" in a).length,
    });
  }
  return entries.reverse().slice(0, limit);
}
