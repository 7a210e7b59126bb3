/** Loads events into `analytics_events` exactly once per (event_id, event_time). */
import type { Event } from "@analytics/schema";

/** Loads batches of events; a batch loaded twice changes nothing the second time. */
export interface EventLoader {
  /** Stores the events not yet stored and refreshes the rollups; returns the rows inserted. */
  load(events: Event[]): Promise<number>;
  /** Releases connections (or the in-process database). */
  close(): Promise<void>;
}
