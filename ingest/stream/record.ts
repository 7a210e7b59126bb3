/** A record to append to the event log: the encoded event, its partition key and headers. */
export interface OutgoingRecord {
  /** Partition key: user id, else device id, else session id (see `partitionKeyOf`). */
  key: string;
  /** The encoded `analytics.v1.Event`. */
  value: Uint8Array;
  /** Record headers, e.g. `traceparent` and `schema`. */
  headers: Record<string, string>;
}

/** A record read back from the event log. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
  /** Append time in milliseconds since the epoch. */
  timestamp: number;
}

/** Where a record was stored. */
export interface RecordPosition {
  partition: number;
  offset: bigint;
}
