import { dirname, join } from "node:path";
import { decodeEntry, encodeEntry, type SuppressionEntry } from "./suppression_entry.ts";
import type { SuppressionLog } from "./suppression_log.ts";

/** The suppression file of an event topic in the embedded log's folder. */
export function suppressionFilePath(logDir: string, topic: string): string {
  return join(logDir, "suppressions", `${topic}.ndjson`);
}

/**
 * The suppression list of the embedded log: JSON lines in one file, appended (O_APPEND, one
 * write per call) and fsynced, read incrementally by byte position. Needs no writer lock, so
 * the admin service and a separate ingest process share it.
 */
export class FileSuppressionLog implements SuppressionLog {
  #position = 0;
  #partial = "";

  /** Reads and appends `path` (created on first append). */
  constructor(readonly path: string) {}

  async append(entries: readonly SuppressionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await Deno.mkdir(dirname(this.path), { recursive: true });
    const text = entries.map((entry) => encodeEntry(entry) + "\n").join("");
    const file = await Deno.open(this.path, { append: true, create: true });
    try {
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
  }

  async readNew(): Promise<{ entries: SuppressionEntry[]; caughtUp: boolean }> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { entries: [], caughtUp: true };
      throw error;
    }
    let text: string;
    try {
      const { size } = await file.stat();
      if (size <= this.#position) return { entries: [], caughtUp: true };
      await file.seek(this.#position, Deno.SeekMode.Start);
      const bytes = new Uint8Array(size - this.#position);
      let read = 0;
      while (read < bytes.length) {
        const n = await file.read(bytes.subarray(read));
        if (n === null) break;
        read += n;
      }
      this.#position += read;
      text = this.#partial + new TextDecoder().decode(bytes.subarray(0, read));
    } finally {
      file.close();
    }
    const lines = text.split("\n");
    // A line being appended by another process may be incomplete: keep it for the next read.
    this.#partial = lines.pop() ?? "";
    const entries = lines.filter((line) => line.trim() !== "").map(decodeEntry);
    return { entries, caughtUp: true };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
