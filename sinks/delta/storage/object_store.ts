/** Where a Delta table's files live: an S3 bucket prefix or a local folder. Keys are relative. */
export interface ObjectStore {
  /** Human-readable location for logs and messages, e.g. "s3://bucket/prefix" or a path. */
  readonly location: string;
  /** Creates `key` only if it does not exist; false when it already existed (nothing written). */
  putIfAbsent(key: string, body: Uint8Array): Promise<boolean>;
  /** Writes `key`, replacing any existing object. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Uploads a local file to `key` (streamed where the store supports it). */
  putFile(key: string, localPath: string): Promise<void>;
  /** Reads `key`; undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Lists keys starting with `prefix`, sorted, each with its size and modification time. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes `key` (no error when missing). */
  delete(key: string): Promise<void>;
  /** Path or URL a reader outside this process (DuckDB, delta-rs) can open for `key`. */
  url(key: string): string;
  /** Releases connections. */
  close(): Promise<void>;
}

/** One listed object. */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/** Thrown by a store when the remote end failed in a way a retry may fix. */
export class TransientStoreError extends Error {
  /** Wraps the underlying cause with the operation and key that failed. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransientStoreError";
  }
}
