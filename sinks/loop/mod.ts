/**
 * The batch-consume loop shared by the sinks, and the store interface they implement.
 *
 * @module
 */
export * from "./sink_store.ts";
export * from "./run_sink_loop.ts";
export * from "./batch_limits.ts";
export * from "./backoff.ts";
export * from "./dead_letter.ts";
export * from "./decode_record.ts";
export { collectBatch } from "./collect_batch.ts";
export { type AssignmentChange, AssignmentTracker, dropStale } from "./assignment_tracker.ts";
