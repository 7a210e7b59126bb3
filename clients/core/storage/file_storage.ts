/**
 * The file storage adapter for Deno and Node: one file per key in a folder, each write atomic
 * (a temporary file, fsync'd, then renamed over the old one), so a crash mid-write leaves the
 * old value or the new one, never a torn file.
 *
 * Kept out of `mod.ts` (import `@analytics/client-core/file-storage`) so browser and React
 * Native bundles never pull `node:fs`.
 *
 * @module
 */
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { StorageAdapter } from "../storage/storage_adapter.ts";

/** Stores each key as `<dir>/<key>.json`. Keys may use letters, digits, `.`, `_`, `-`. */
export class FileStorage implements StorageAdapter {
  readonly #dir: string;
  #made = false;
  #tmpCounter = 0;

  /** Uses (and creates when needed) the folder `dir`. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The stored value, or undefined when the file does not exist. */
  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.#path(key), "utf8");
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Writes a temporary file, syncs it, and renames it over the key's file. */
  async set(key: string, value: string): Promise<void> {
    if (!this.#made) {
      await mkdir(this.#dir, { recursive: true });
      this.#made = true;
    }
    const target = this.#path(key);
    const tmp = `${target}.${Date.now()}-${this.#tmpCounter++}.tmp`;
    const file = await open(tmp, "w");
    try {
      await file.writeFile(value, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  }

  /** Deletes the key's file. */
  async remove(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  #path(key: string): string {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(key)) {
      throw new Error(`storage key "${key}" must be 1-128 letters, digits, ".", "_" or "-"`);
    }
    return join(this.#dir, `${key}.json`);
  }
}
