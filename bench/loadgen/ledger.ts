/**
 * The ledger of accepted event ids: one id per line, appended in the order the answers came, so a
 * fault harness can compare what clients were told with what the stores hold.
 *
 * @module
 */

/** An append-only file of accepted event ids. */
export interface Ledger {
  /** Appends ids; writes are serialised in call order. */
  append(ids: readonly string[]): Promise<void>;
  /** Waits for pending writes and closes the file. */
  close(): Promise<void>;
}

/** Opens (creating or truncating) a ledger file at `path`. */
export async function openLedger(path: string): Promise<Ledger> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let pending: Promise<void> = Promise.resolve();
  const writeAll = async (bytes: Uint8Array) => {
    let offset = 0;
    while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
  };
  return {
    append(ids) {
      if (ids.length === 0) return pending;
      const bytes = encoder.encode(ids.join("\n") + "\n");
      pending = pending.then(() => writeAll(bytes));
      return pending;
    },
    async close() {
      try {
        await pending;
        await file.sync();
      } finally {
        file.close();
      }
    },
  };
}

/** Reads a ledger file back as a list of ids. */
export async function readLedger(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line !== "");
}
