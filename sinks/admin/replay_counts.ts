/** What a dead-letter replay did. */
export interface ReplayCounts {
  /** Dead letters read. */
  read: number;
  /** Records republished to the event topic. */
  republished: number;
  /** Records skipped because their event carries a suppressed id. */
  suppressed: number;
}

/** What a rebuild of a store over a time range did. */
export interface RebuildCounts {
  /** Records read from the topic in the range. */
  read: number;
  /** Events handed to the store (its dedup may have found them there already). */
  written: number;
  /** Events skipped because they carry a suppressed id. */
  suppressed: number;
  /** Records that could not be decoded or failed the schema. */
  undecodable: number;
}
