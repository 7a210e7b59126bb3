import { join } from "node:path";
import type { ObjectStore } from "./object_store.ts";

/** Where the cache lives and how large it may grow. */
export interface FileCacheOptions {
  /** Root folder; each table gets a subfolder named after a hash of its location. */
  dir: string;
  /** Total bytes of this table's cached files above which the least recently used go. */
  maxBytes: number;
}

/** Default bound of a table's cache: 512 MiB. */
export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Local copies of a remote table's data files (immutable: Delta never rewrites a path), so that
 * DuckDB, which cannot read S3 here, can read them. Files the sink writes are adopted after their
 * upload; others are downloaded on first use. Bounded by total size, least recently used evicted
 * first (never the files of the current request), over all tables' folders under the root (the
 * bound holds per process; processes sharing a root each keep to it). Several processes may share a folder: files
 * appear by rename (never half-written) and a file another process evicted is downloaded again.
 */
export class FileCache {
  /** Cached file names (encoded keys) in least-recently-used-first order, with sizes. */
  readonly #entries = new Map<string, number>();
  #totalBytes = 0;
  #tempCounter = 0;

  private constructor(
    readonly root: string,
    readonly table: string,
    readonly maxBytes: number,
  ) {}

  /** This table's folder. */
  get dir(): string {
    return join(this.root, this.table);
  }

  /**
   * Opens (creating) the cache folder of the table at `location`, indexing every table's files
   * under the root: the bound is on their total, so folders of tables no longer written (a test
   * run's) are evicted first.
   */
  static async open(options: FileCacheOptions, location: string): Promise<FileCache> {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(location));
    const table = [...new Uint8Array(digest).slice(0, 8)]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    await Deno.mkdir(join(options.dir, table), { recursive: true });
    const cache = new FileCache(options.dir, table, options.maxBytes);
    const found: { name: string; size: number; mtime: number }[] = [];
    for await (const folder of Deno.readDir(options.dir)) {
      if (!folder.isDirectory) continue;
      for await (const entry of Deno.readDir(join(options.dir, folder.name))) {
        if (!entry.isFile) continue;
        const name = `${folder.name}/${entry.name}`;
        const path = join(options.dir, name);
        if (entry.name.startsWith(".tmp-")) {
          // Left by a process that died, or being written by a live one: only old ones go.
          const info = await Deno.stat(path).catch(ignoreNotFound);
          const age = Date.now() - (info?.mtime?.getTime() ?? Date.now());
          if (age > 3_600_000) await Deno.remove(path).catch(ignoreNotFound);
          continue;
        }
        const info = await Deno.stat(path).catch(ignoreNotFound);
        if (info !== undefined) {
          found.push({ name, size: info.size, mtime: info.mtime?.getTime() ?? 0 });
        }
      }
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const f of found) cache.#remember(f.name, f.size);
    await cache.#evict(new Set());
    return cache;
  }

  /** Bytes of the files this cache knows of (every table's under the root). */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Local path of `key`'s copy (present or not). */
  pathOf(key: string): string {
    return join(this.root, this.#nameOf(key));
  }

  /** Entry name of `key`: the table folder and the key encoded as one file name. */
  #nameOf(key: string): string {
    return `${this.table}/${encodeURIComponent(key)}`;
  }

  /** Moves a file just uploaded to `key` into the cache (the file at `localPath` is gone after). */
  async adopt(key: string, localPath: string): Promise<void> {
    const name = this.#nameOf(key);
    const { size } = await Deno.stat(localPath);
    await Deno.rename(localPath, join(this.root, name));
    this.#remember(name, size);
    await this.#evict(new Set([name]));
  }

  /**
   * Local paths of `keys` of `objects`, downloading those not cached (or evicted by another
   * process), and marking all of them most recently used. Throws when a key is not in the store.
   */
  async paths(objects: ObjectStore, keys: readonly string[]): Promise<string[]> {
    const names = new Set<string>();
    const out: string[] = [];
    for (const key of keys) {
      const name = this.#nameOf(key);
      const path = join(this.root, name);
      names.add(name);
      out.push(path);
      const info = await Deno.stat(path).catch(ignoreNotFound);
      if (info !== undefined) {
        this.#remember(name, info.size);
        const now = new Date();
        await Deno.utime(path, now, now).catch(ignoreNotFound);
        continue;
      }
      const bytes = await objects.get(key);
      if (bytes === undefined) {
        throw new Error(`${key} is in the log but not in ${objects.location}`);
      }
      this.#tempCounter += 1;
      const temp = join(this.dir, `.tmp-${Deno.pid}-${this.#tempCounter}-${crypto.randomUUID()}`);
      await Deno.writeFile(temp, bytes);
      await Deno.rename(temp, path);
      this.#remember(name, bytes.length);
    }
    await this.#evict(names);
    return out;
  }

  /** Drops `key`'s copy (a file that will never be committed). */
  async forget(key: string): Promise<void> {
    const name = this.#nameOf(key);
    await Deno.remove(join(this.root, name)).catch(ignoreNotFound);
    this.#drop(name);
  }

  #remember(name: string, size: number): void {
    this.#drop(name);
    this.#entries.set(name, size);
    this.#totalBytes += size;
  }

  #drop(name: string): void {
    const size = this.#entries.get(name);
    if (size === undefined) return;
    this.#entries.delete(name);
    this.#totalBytes -= size;
  }

  /** Removes least recently used files until under the bound, sparing `keep`. */
  async #evict(keep: Set<string>): Promise<void> {
    if (this.#totalBytes <= this.maxBytes) return;
    for (const name of [...this.#entries.keys()]) {
      if (this.#totalBytes <= this.maxBytes) break;
      if (keep.has(name)) continue;
      await Deno.remove(join(this.root, name)).catch(ignoreNotFound);
      this.#drop(name);
    }
  }
}

/** Swallows only NotFound (the file is already gone, which is what was wanted). */
function ignoreNotFound(error: unknown): undefined {
  if (error instanceof Deno.errors.NotFound) return undefined;
  throw error;
}
