import { dirname, join } from "node:path";
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import type { ObjectInfo, ObjectStore } from "./object_store.ts";

/**
 * An object store on the local disk. `putIfAbsent` writes a temporary file, fsyncs it, then
 * `link()`s it to the key: link fails with EEXIST when the key exists, so of two racing writers
 * exactly one wins and no reader ever sees a half-written commit.
 */
export class LocalObjectStore implements ObjectStore {
  readonly location: string;
  #tempCounter = 0;

  /** Opens (without creating) the folder `root`. */
  constructor(readonly root: string) {
    this.location = root;
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    const target = join(this.root, key);
    await mkdir(dirname(target), { recursive: true });
    const temp = await this.#writeTemp(target, body);
    try {
      await link(temp, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const target = join(this.root, key);
    await mkdir(dirname(target), { recursive: true });
    const temp = await this.#writeTemp(target, body);
    await rename(temp, target);
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = join(this.root, key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.#tempName(target);
    await copyFile(localPath, temp);
    await rename(temp, target);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(join(this.root, key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const slash = prefix.lastIndexOf("/");
    const base = slash >= 0 ? prefix.slice(0, slash) : "";
    const out: ObjectInfo[] = [];
    await this.#walk(base, prefix, out);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.root, key), { force: true });
  }

  url(key: string): string {
    return join(this.root, key);
  }

  async close(): Promise<void> {}

  async #walk(dir: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(join(this.root, dir), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const key = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.name.startsWith(".tmp-")) continue;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
          await this.#walk(key, prefix, out);
        }
      } else if (key.startsWith(prefix)) {
        const info = await stat(join(this.root, key));
        out.push({ key, size: info.size, lastModified: info.mtime });
      }
    }
  }

  #tempName(target: string): string {
    this.#tempCounter += 1;
    const name = `.tmp-${Deno.pid}-${Date.now()}-${this.#tempCounter}-${crypto.randomUUID()}`;
    return join(dirname(target), name);
  }

  async #writeTemp(target: string, body: Uint8Array): Promise<string> {
    const temp = this.#tempName(target);
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < body.length) written += await file.write(body.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    return temp;
  }
}
