import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { failpoint } from "../../ingest/failpoints/mod.ts";
import { inChildSpan } from "../loop/batch_span.ts";
import type { DecodedRecord, SinkBatch, SinkStore } from "../loop/sink_store.ts";
import type { Event } from "@analytics/schema";
import { type Column, EVENT_COLUMNS, PARTITION_COLUMN } from "./columns.ts";
import type { Action, AddAction, TxnAction } from "./log/actions.ts";
import { checkpointDue, writeCheckpoint } from "./log/checkpoint.ts";
import { CommitConflictError, commitWithRetry } from "./log/commit.ts";
import { loadSnapshot, type Snapshot } from "./log/snapshot.ts";
import { loadParquetWriter, ROW_GROUP_SIZE, writeParquet } from "./parquet/write_parquet.ts";
import { type ObjectStore, TransientStoreError } from "./storage/object_store.ts";
import { DEFAULT_CACHE_MAX_BYTES, FileCache, type FileCacheOptions } from "./storage/file_cache.ts";
import { firstOfEachId } from "./dedup/first_of_each_id.ts";
import { dropStored } from "./dedup/drop_stored.ts";
import { ensureTable } from "./table_setup.ts";

/** Options of `DeltaStore.open`. */
export interface DeltaStoreOptions {
  /** Where the table lives (its root: `_delta_log/` and the partition folders go under it). */
  objects: ObjectStore;
  /** Sink name: `txn` app ids are `<sinkName>-<partition>`. */
  sinkName: string;
  /** Table name recorded in metaData at creation. Default "analytics_events". */
  tableName?: string;
  /** Columns this writer knows. Default EVENT_COLUMNS. */
  columns?: readonly Column[];
  /** Checkpoint every this many commits; 0 disables. Default 10. */
  checkpointInterval?: number;
  /**
   * Local copies of the data files of a table on S3, for the event_id dedup (DuckDB reads local
   * files only). Default: a folder in the store's scratch space, gone at close. Unused for a
   * local-disk table, whose files are read in place.
   */
  cache?: FileCacheOptions;
  /**
   * Most rows in one Parquet file: a date's rows beyond it go to more files of the same commit,
   * so the WebAssembly writer's memory (which never shrinks) stays bounded. Default
   * ROW_GROUP_SIZE (one row group per file).
   */
  maxFileRows?: number;
  /** Called after each data commit (the fault harness hooks its failpoints here). */
  onCommitted?: (version: number) => void | Promise<void>;
}

/** One Parquet file uploaded for a commit. */
interface UploadedFile {
  key: string;
  add: AddAction;
}

/**
 * The lake sink's store: each batch becomes one Parquet file per UTC event date (more past
 * `maxFileRows`) and one Delta commit holding their `add` actions and a `txn` per Kafka
 * partition (version = last offset).
 * Exactly once: records at or below a partition's `txn` version are dropped before writing, again
 * after every lost commit race, and `resumePositions` restarts each partition after it. The same
 * event at two offsets (a client re-sent it) is written once: a batch keeps the first copy of
 * each event_id and drops ids the table already holds (`dedup/`), again after every lost race.
 */
export class DeltaStore implements SinkStore {
  readonly name = "delta";
  readonly #objects: ObjectStore;
  readonly #snapshot: Snapshot;
  readonly #columns: readonly Column[];
  readonly #dataColumns: readonly Column[];
  readonly #partitionIndex: number;
  readonly #options: DeltaStoreOptions;
  readonly #duck: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #scratch: string;
  /** Copies of S3 data files; undefined for a local-disk table (files read in place). */
  readonly #cache: FileCache | undefined;
  /**
   * Records dropped so far because their event_id was already stored or came earlier in the same
   * batch (the log held the event twice), for logs and tests.
   */
  duplicatesDropped = 0;

  private constructor(
    options: DeltaStoreOptions,
    snapshot: Snapshot,
    duck: DuckDBInstance,
    connection: DuckDBConnection,
    scratch: string,
    cache: FileCache | undefined,
  ) {
    this.#options = options;
    this.#objects = options.objects;
    this.#snapshot = snapshot;
    this.#columns = options.columns ?? EVENT_COLUMNS;
    this.#partitionIndex = this.#columns.findIndex((c) => c.name === PARTITION_COLUMN);
    if (this.#partitionIndex < 0) throw new Error(`columns lack ${PARTITION_COLUMN}`);
    this.#dataColumns = this.#columns.filter((c) => c.name !== PARTITION_COLUMN);
    this.#duck = duck;
    this.#connection = connection;
    this.#scratch = scratch;
    this.#cache = cache;
  }

  /** Loads the table (creating it or adding new columns when needed) and returns the store. */
  static async open(options: DeltaStoreOptions): Promise<DeltaStore> {
    const snapshot = await loadSnapshot(options.objects);
    await ensureTable(
      options.objects,
      snapshot,
      options.columns ?? EVENT_COLUMNS,
      options.tableName ?? "analytics_events",
    );
    await loadParquetWriter();
    const duck = await DuckDBInstance.create(":memory:", { threads: "1" });
    const connection = await duck.connect();
    const scratch = await Deno.makeTempDir({ prefix: "delta-sink-" });
    const cache = isLocalPath(options.objects.url("x")) ? undefined : await FileCache.open(
      options.cache ?? { dir: join(scratch, "cache"), maxBytes: DEFAULT_CACHE_MAX_BYTES },
      options.objects.location,
    );
    return new DeltaStore(options, snapshot, duck, connection, scratch, cache);
  }

  /** The latest version this store has seen (it read or committed it). */
  get version(): number {
    return this.#snapshot.version;
  }

  /** The `txn` app id of a Kafka partition. */
  appId(partition: number): string {
    return `${this.#options.sinkName}-${partition}`;
  }

  async resumePositions(partitions: number[]): Promise<Map<number, bigint>> {
    await this.#snapshot.update(this.#objects);
    const positions = new Map<number, bigint>();
    for (const partition of partitions) {
      const version = this.#snapshot.txns.get(this.appId(partition));
      if (version !== undefined) positions.set(partition, BigInt(version) + 1n);
    }
    return positions;
  }

  async write(batch: SinkBatch): Promise<void> {
    await this.#snapshot.update(this.#objects);
    let uploaded: UploadedFile[] = [];
    let uploadedCount = -1;
    // Dedup by event_id, kept across attempts: after a lost race only the files added since the
    // last check are read (`checked`), and what an earlier attempt dropped stays dropped.
    const checked = new Set<string>();
    let notStored: Set<DecodedRecord> | undefined;
    let droppedNow = 0;
    const tracer = trace.getTracer("analytics-sink");
    const version = await inChildSpan(tracer, "delta commit", {
      "analytics.delta.table": this.#objects.url(""),
    }, () =>
      commitWithRetry(this.#objects, this.#snapshot, async (snapshot) => {
        const { records: uncovered, txns } = this.#uncovered(batch, snapshot);
        const unique = firstOfEachId(uncovered).filter((r) => notStored?.has(r) ?? true);
        const { records } = await dropStored(unique, {
          connection: this.#connection,
          files: snapshot.files.values(),
          localPaths: (keys) => this.#localPaths(keys),
          checked,
        });
        notStored = new Set(records);
        droppedNow = uncovered.length - records.length;
        // Each attempt's records are a subset of the previous one's (txn versions and stored ids
        // only grow), so the same count means the same records.
        if (records.length !== uploadedCount) {
          // First attempt, or a concurrent writer covered part of the batch: (re)write the files.
          await this.#discard(uploaded);
          uploaded = records.length === 0 ? [] : await this.#upload(records);
          uploadedCount = records.length;
        }
        if (records.length === 0 && txns.length === 0) return undefined;
        const actions: Action[] = [{
          commitInfo: {
            timestamp: Date.now(),
            operation: "WRITE",
            operationParameters: { mode: "Append", partitionBy: `["${PARTITION_COLUMN}"]` },
            engineInfo: "analytics-sink-delta",
            isBlindAppend: true,
            operationMetrics: {
              numFiles: String(uploaded.length),
              numOutputRows: String(records.length),
            },
          },
        }];
        for (const file of uploaded) actions.push({ add: file.add });
        for (const txn of txns) actions.push({ txn });
        return actions;
      }));
    this.duplicatesDropped += droppedNow;
    if (version === undefined) return;
    await this.#options.onCommitted?.(version);
    // The commit is in the log; the loop commits the Kafka offsets after this returns.
    failpoint("delta.after-commit-before-offset-commit");
    if (checkpointDue(version, this.#options.checkpointInterval ?? 10)) {
      await writeCheckpoint(this.#objects, this.#snapshot);
    }
  }

  isTransient(error: unknown): boolean {
    if (error instanceof TransientStoreError || error instanceof CommitConflictError) return true;
    const code = (error as { code?: string })?.code;
    return code === "ENOSPC" || code === "EAGAIN" || code === "EBUSY" ||
      code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ETIMEDOUT";
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    this.#duck.closeSync();
    await Deno.remove(this.#scratch, { recursive: true });
    await this.#objects.close();
  }

  /** Paths DuckDB can read for data files: in place on local disk, cached copies of S3's. */
  async #localPaths(keys: readonly string[]): Promise<string[]> {
    if (this.#cache === undefined) return keys.map((key) => this.#objects.url(key));
    return await this.#cache.paths(this.#objects, keys);
  }

  /** Records not yet covered by the partitions' `txn` versions, and the `txn`s to advance. */
  #uncovered(
    batch: SinkBatch,
    snapshot: Snapshot,
  ): { records: DecodedRecord[]; txns: TxnAction[] } {
    const covered = (partition: number) => snapshot.txns.get(this.appId(partition)) ?? -1;
    const records = batch.records.filter((r) =>
      Number(r.record.offset) > covered(r.record.partition)
    );
    const txns: TxnAction[] = [];
    for (const [partition, offset] of batch.lastOffsets) {
      if (Number(offset) > covered(partition)) {
        txns.push({
          appId: this.appId(partition),
          version: Number(offset),
          lastUpdated: Date.now(),
        });
      }
    }
    return { records, txns };
  }

  /**
   * Writes one Parquet file per event date (per `maxFileRows` rows of a date), uploads them, and
   * returns their `add` actions.
   */
  async #upload(records: DecodedRecord[]): Promise<UploadedFile[]> {
    const partition = this.#columns[this.#partitionIndex];
    const byDate = new Map<string, Event[]>();
    for (const { event } of records) {
      const date = partition.value(event) as string;
      let events = byDate.get(date);
      if (events === undefined) byDate.set(date, events = []);
      events.push(event);
    }
    const maxRows = this.#options.maxFileRows ?? ROW_GROUP_SIZE;
    const parts: [string, Event[]][] = [];
    for (const [date, events] of byDate) {
      for (let start = 0; start < events.length; start += maxRows) {
        parts.push([date, events.slice(start, start + maxRows)]);
      }
    }
    const files: UploadedFile[] = [];
    for (const [date, events] of parts) {
      const name = `part-00000-${crypto.randomUUID()}-c000.zstd.parquet`;
      const key = `${PARTITION_COLUMN}=${date}/${name}`;
      const localPath = join(this.#scratch, name);
      try {
        const stats = await writeParquet(this.#dataColumns, events, localPath);
        const { size } = await Deno.stat(localPath);
        const url = this.#objects.url(key);
        await inChildSpan(
          trace.getTracer("analytics-sink"),
          url.startsWith("s3://") ? "s3 put" : "file write",
          { "analytics.object.url": url, "analytics.object.bytes": size },
          () => this.#objects.putFile(key, localPath),
        );
        // Kept for the dedup of the next batches (their ids are the likeliest to recur).
        if (this.#cache !== undefined) await this.#cache.adopt(key, localPath);
        files.push({
          key,
          add: {
            path: key,
            partitionValues: { [PARTITION_COLUMN]: date },
            size,
            modificationTime: Date.now(),
            dataChange: true,
            stats: JSON.stringify(stats),
          },
        });
      } finally {
        await Deno.remove(localPath).catch((error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
      }
    }
    return files;
  }

  /** Deletes uploaded files that will not be committed (vacuum would, later, anyway). */
  async #discard(files: UploadedFile[]): Promise<void> {
    for (const file of files) {
      await this.#objects.delete(file.key);
      await this.#cache?.forget(file.key);
    }
  }
}

/** True when a store URL is a local path (not s3://…). */
function isLocalPath(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}
