import type { ObjectStore } from "../storage/object_store.ts";
import {
  type Action,
  type AddAction,
  commitKey,
  decodeCommit,
  type MetaDataAction,
  type ProtocolAction,
  type RemoveAction,
} from "./actions.ts";
import { readCheckpointActions, readLastCheckpoint } from "./checkpoint.ts";

/** The state of a Delta table at one version: what a reader or the next writer needs. */
export class Snapshot {
  /** -1 while the table has no commit yet. */
  version = -1;
  protocol: ProtocolAction | undefined;
  metaData: MetaDataAction | undefined;
  /** Live data files by path. */
  readonly files = new Map<string, AddAction>();
  /** Removed files by path, kept for vacuum's retention check. */
  readonly tombstones = new Map<string, RemoveAction>();
  /** Last committed version per application id (`txn` actions). */
  readonly txns = new Map<string, number>();
  /** Timestamps of the commits replayed (from commitInfo), by version. */
  readonly commitTimestamps = new Map<number, number>();

  /** Applies one commit's actions, as the log replay does, version by version. */
  apply(version: number, actions: readonly Action[]): void {
    for (const action of actions) {
      if ("add" in action) {
        this.files.set(action.add.path, action.add);
        this.tombstones.delete(action.add.path);
      } else if ("remove" in action) {
        this.files.delete(action.remove.path);
        this.tombstones.set(action.remove.path, action.remove);
      } else if ("txn" in action) {
        this.txns.set(action.txn.appId, action.txn.version);
      } else if ("metaData" in action) {
        this.metaData = action.metaData;
      } else if ("protocol" in action) {
        this.protocol = action.protocol;
      } else if ("commitInfo" in action) {
        this.commitTimestamps.set(version, action.commitInfo.timestamp);
      }
    }
    this.version = version;
  }

  /** Every action needed to rebuild this state (what a checkpoint holds). */
  reconcile(): Action[] {
    const actions: Action[] = [];
    if (this.protocol) actions.push({ protocol: this.protocol });
    if (this.metaData) actions.push({ metaData: this.metaData });
    for (const [appId, version] of this.txns) actions.push({ txn: { appId, version } });
    for (const add of this.files.values()) actions.push({ add });
    for (const remove of this.tombstones.values()) actions.push({ remove });
    return actions;
  }

  /** Reads commits after the current version until none follows (or `untilVersion` is reached). */
  async update(store: ObjectStore, untilVersion = Infinity): Promise<this> {
    while (this.version < untilVersion) {
      const next = this.version + 1;
      const bytes = await store.get(commitKey(next));
      if (bytes === undefined) break;
      this.apply(next, decodeCommit(bytes));
    }
    return this;
  }
}

/**
 * Loads the table's state at `version` (default: the latest): from the last checkpoint when it is
 * not past that version, then the JSON commits after it. Throws when `version` does not exist.
 */
export async function loadSnapshot(store: ObjectStore, version?: number): Promise<Snapshot> {
  const snapshot = new Snapshot();
  const last = await readLastCheckpoint(store);
  if (last !== undefined && (version === undefined || last.version <= version)) {
    const actions = await readCheckpointActions(store, last.version);
    snapshot.apply(last.version, actions);
  }
  await snapshot.update(store, version ?? Infinity);
  if (version !== undefined && snapshot.version !== version) {
    throw new Error(
      `version ${version} of ${store.location} does not exist (latest is ${snapshot.version})`,
    );
  }
  return snapshot;
}
