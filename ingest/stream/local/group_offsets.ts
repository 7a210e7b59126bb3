/**
 * A consumer group's committed offsets for one topic, in `<dir>/groups/<group>/<topic>.json`.
 * Each commit writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
 * folder, so a crash leaves either the old or the new offsets, never a mix.
 */
import { dirname } from "node:path";
import { ensureDir, groupOffsetsFile, syncDir } from "./layout.ts";

/** Reads and writes one group's committed offsets of one topic. */
export class GroupOffsets {
  #offsets = new Map<number, bigint>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(private readonly path: string) {}

  /** Loads the committed offsets of `group` for `topic` (none when never committed). */
  static async load(dir: string, group: string, topic: string): Promise<GroupOffsets> {
    const store = new GroupOffsets(groupOffsetsFile(dir, group, topic));
    try {
      const stored = JSON.parse(await Deno.readTextFile(store.path));
      for (const [partition, offset] of Object.entries(stored.offsets ?? {})) {
        store.#offsets.set(Number(partition), BigInt(offset as string));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new Error(
          `cannot read committed offsets ${store.path}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
    return store;
  }

  /** The committed offset (next record to read) of a partition, if any. */
  get(partition: number): bigint | undefined {
    return this.#offsets.get(partition);
  }

  /** Durably merges `nextOffsets` into the committed offsets; commits run one after another. */
  commit(nextOffsets: Map<number, bigint>): Promise<void> {
    const run = this.#writing.then(() => this.#write(nextOffsets));
    this.#writing = run.catch(() => {});
    return run;
  }

  async #write(nextOffsets: Map<number, bigint>): Promise<void> {
    const merged = new Map(this.#offsets);
    for (const [partition, offset] of nextOffsets) merged.set(partition, offset);
    const offsets = Object.fromEntries(
      [...merged].sort(([a], [b]) => a - b).map(([p, o]) => [String(p), o.toString()]),
    );
    const folder = dirname(this.path);
    await ensureDir(folder);
    const temp = `${this.path}.tmp-${Deno.pid}`;
    const file = await Deno.open(temp, { write: true, create: true, truncate: true });
    try {
      await file.write(new TextEncoder().encode(JSON.stringify({ offsets }) + "\n"));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, this.path);
    await syncDir(folder);
    this.#offsets = merged;
  }
}
