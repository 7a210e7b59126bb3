import type { SuppressionEntry } from "./suppression_entry.ts";

/**
 * Where the suppression list is kept durably and shared by every process: a compacted Kafka
 * topic, or a file in the embedded log's folder. Each reader reads it from the start.
 */
export interface SuppressionLog {
  /** Durably appends entries; resolves once every reader will see them. */
  append(entries: readonly SuppressionEntry[]): Promise<void>;
  /**
   * Entries appended since the last call (from the start on the first), and whether this reader
   * has reached what the log held when it was opened (so the list is complete).
   */
  readNew(): Promise<{ entries: SuppressionEntry[]; caughtUp: boolean }>;
  /** Releases files and connections. */
  close(): Promise<void>;
}
