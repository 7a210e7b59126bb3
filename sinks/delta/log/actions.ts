/** Protocol versions this writer commits to: reader 1, writer 2 (append-only, invariants). */
export interface ProtocolAction {
  minReaderVersion: number;
  minWriterVersion: number;
}

/** Table metadata: id, schema (Spark StructType JSON), partition columns, configuration. */
export interface MetaDataAction {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: "parquet"; options: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  configuration: Record<string, string>;
  createdTime?: number | null;
}

/** A data file that became part of the table. `stats` is a JSON string (see stats.ts). */
export interface AddAction {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  stats?: string | null;
  tags?: Record<string, string> | null;
}

/** A data file that left the table (kept on storage until vacuum). */
export interface RemoveAction {
  path: string;
  deletionTimestamp: number;
  dataChange: boolean;
  extendedFileMetadata?: boolean;
  partitionValues?: Record<string, string | null>;
  size?: number;
}

/** An application's idempotence marker: the last version (here: Kafka offset) it committed. */
export interface TxnAction {
  appId: string;
  version: number;
  lastUpdated?: number;
}

/** Free-form provenance of a commit (operation, parameters, time). */
export interface CommitInfoAction {
  timestamp: number;
  operation: string;
  operationParameters: Record<string, string>;
  [key: string]: unknown;
}

/** One line of a commit file. */
export type Action =
  | { protocol: ProtocolAction }
  | { metaData: MetaDataAction }
  | { add: AddAction }
  | { remove: RemoveAction }
  | { txn: TxnAction }
  | { commitInfo: CommitInfoAction };

/** The protocol the lake writes. */
export const PROTOCOL: ProtocolAction = { minReaderVersion: 1, minWriterVersion: 2 };

/** Folder of the transaction log inside the table. */
export const LOG_DIR = "_delta_log";

/** Key of the JSON commit file of `version` (`_delta_log/00000000000000000007.json`). */
export function commitKey(version: number): string {
  return `${LOG_DIR}/${String(version).padStart(20, "0")}.json`;
}

/** Key of the classic single-file Parquet checkpoint of `version`. */
export function checkpointKey(version: number): string {
  return `${LOG_DIR}/${String(version).padStart(20, "0")}.checkpoint.parquet`;
}

/** The version of a commit file name, or undefined for any other file in the log. */
export function commitVersionOf(key: string): number | undefined {
  const match = /(?:^|\/)(\d{20})\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Serialises actions as newline-delimited JSON, the commit file format. */
export function encodeCommit(actions: readonly Action[]): Uint8Array {
  return new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join("\n") + "\n");
}

/** Parses a commit file; unknown action kinds are kept (and ignored by the replay). */
export function decodeCommit(bytes: Uint8Array): Action[] {
  return new TextDecoder().decode(bytes).split("\n").filter((line) => line.trim() !== "").map(
    (line) => JSON.parse(line) as Action,
  );
}
