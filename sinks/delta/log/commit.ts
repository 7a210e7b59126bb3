import type { ObjectStore } from "../storage/object_store.ts";
import { type Action, commitKey, encodeCommit } from "./actions.ts";
import type { Snapshot } from "./snapshot.ts";

/** Thrown when a commit lost the race more often than allowed. Transient: retry the batch. */
export class CommitConflictError extends Error {
  /** Names the table and the number of attempts. */
  constructor(location: string, attempts: number) {
    super(`commit to ${location} lost the race ${attempts} times in a row`);
    this.name = "CommitConflictError";
  }
}

/** Thrown when a concurrent commit makes this one impossible (e.g. a removed file is gone). */
export class ConcurrentModificationError extends Error {
  /** Says what changed under the writer. */
  constructor(message: string) {
    super(message);
    this.name = "ConcurrentModificationError";
  }
}

/**
 * Builds the actions of a commit against the latest snapshot, or returns undefined when nothing
 * is left to commit (a concurrent writer already covered it). Called again after every lost race,
 * with the snapshot brought up to date: this is where a writer re-reads `txn` versions and drops
 * what they cover, or checks that the files it rewrites still exist.
 */
export type CommitBuilder = (snapshot: Snapshot) => Promise<Action[] | undefined>;

/** Options of `commitWithRetry`. */
export interface CommitOptions {
  /** Attempts before giving up with CommitConflictError (default 20). */
  maxAttempts?: number;
}

/**
 * Commits the builder's actions at the next version with an exclusive create of
 * `_delta_log/<version>.json`. When another writer took that version, reloads the log and asks the
 * builder again for the version after. Returns the committed version (the snapshot now includes
 * it), or undefined when the builder found nothing left to commit.
 */
export async function commitWithRetry(
  store: ObjectStore,
  snapshot: Snapshot,
  build: CommitBuilder,
  options: CommitOptions = {},
): Promise<number | undefined> {
  const maxAttempts = options.maxAttempts ?? 20;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const actions = await build(snapshot);
    if (actions === undefined) return undefined;
    const version = snapshot.version + 1;
    if (await store.putIfAbsent(commitKey(version), encodeCommit(actions))) {
      snapshot.apply(version, actions);
      return version;
    }
    await snapshot.update(store);
  }
  throw new CommitConflictError(store.location, maxAttempts);
}
