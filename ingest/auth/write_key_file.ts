import type { Logger } from "../observability/logger.ts";
import type { Counter } from "../observability/metrics_registry.ts";
import { parseWriteKeys, type WriteKeyRecord } from "./write_key.ts";
import type { WriteKeyStore } from "./write_key_store.ts";

/** What one reload of the key file did. */
export type ReloadOutcome =
  | { outcome: "unchanged" }
  | { outcome: "reloaded"; keys: number }
  | { outcome: "failed"; reason: string };

/** Options of `watchWriteKeyFile`. */
export interface KeyFileReloadOptions {
  /** The key file (INGEST_WRITE_KEYS_FILE). */
  path: string;
  /** The store to update. */
  store: WriteKeyStore;
  /** Keys that do not come from the file (INGEST_WRITE_KEYS, the dev key); kept on every reload. */
  fixed: readonly WriteKeyRecord[];
  /** The file's text the store was built from, so an unchanged file is not re-applied. */
  initialText?: string;
  /** Milliseconds between two reads of the file; 0 reads it only on SIGHUP or `reload()`. */
  intervalMs: number;
  /** Re-read on SIGHUP too (default true; one process may install one listener per store). */
  onSighup?: boolean;
  /** Where reloads and refused files are logged. */
  log: Logger;
  /** Counts reloads by outcome (`reloaded`, `failed`). */
  reloads?: Counter;
}

/** A running watch of the key file. */
export interface KeyFileReload {
  /** Reads the file now and swaps the keys when it changed and is valid. */
  reload(): Promise<ReloadOutcome>;
  /** Stops polling and the SIGHUP listener. */
  stop(): void;
}

/**
 * Watches the write key file and swaps the store's keys when its text changes: every `intervalMs`
 * and on SIGHUP. A file that cannot be read or parsed, that is empty, or that configures a key
 * twice keeps the previous keys and is logged with the reason (never the file's text): a bad edit
 * never opens the door, never empties it by accident, and never stops the ingest.
 */
export function watchWriteKeyFile(options: KeyFileReloadOptions): KeyFileReload {
  const { path, store, fixed, log, reloads } = options;
  let lastText = options.initialText;
  // A file that stays bad is logged once, not at every poll.
  let lastRefusal: string | undefined;
  let running: Promise<ReloadOutcome> | undefined;

  const readAndApply = async (): Promise<ReloadOutcome> => {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      return fail(`cannot read the file (${(error as Error).message})`, "");
    }
    if (text === lastText) {
      lastRefusal = undefined;
      return { outcome: "unchanged" };
    }
    if (text.trim() === "") {
      // An editor truncating before it writes would otherwise revoke every key for a moment.
      return fail('the file is empty (to remove every key, write "[]")', text);
    }
    let records: WriteKeyRecord[];
    try {
      records = parseWriteKeys(text, "INGEST_WRITE_KEYS_FILE");
      store.replace([...fixed, ...records]);
    } catch (error) {
      return fail((error as Error).message, text);
    }
    lastText = text;
    lastRefusal = undefined;
    reloads?.add(1, { outcome: "reloaded" });
    log.info("write keys reloaded", {
      file: path,
      keys: store.size,
      from_file: records.length,
      revoked: records.filter((r) => r.revoked).length,
      with_not_after: records.filter((r) => r.notAfter !== undefined).length,
    });
    return { outcome: "reloaded", keys: store.size };
  };

  const fail = (reason: string, text: string): ReloadOutcome => {
    const refusal = `${reason}\u0000${text}`;
    if (refusal === lastRefusal) return { outcome: "failed", reason };
    lastRefusal = refusal;
    reloads?.add(1, { outcome: "failed" });
    log.error("write key file refused; keeping the previous keys", {
      file: path,
      reason,
      keys: store.size,
    });
    return { outcome: "failed", reason };
  };

  const reload = (): Promise<ReloadOutcome> => {
    running ??= readAndApply().finally(() => running = undefined);
    return running;
  };

  const timer = options.intervalMs > 0
    ? setInterval(() => void reload(), options.intervalMs)
    : undefined;
  const onSighup = () => {
    log.info("SIGHUP: re-reading the write key file", { file: path });
    void reload();
  };
  const sighup = options.onSighup ?? true;
  if (sighup) Deno.addSignalListener("SIGHUP", onSighup);

  return {
    reload,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (sighup) Deno.removeSignalListener("SIGHUP", onSighup);
    },
  };
}
