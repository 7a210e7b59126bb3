/**
 * The load generator as a library: runLoad for tests and benchmarks, and the event generators.
 *
 * @module
 */
export {
  type LoadCounts,
  type LoadOptions,
  type LoadProgress,
  type LoadSummary,
  type RetryOptions,
  runLoad,
} from "./run_load.ts";
export { createLoadTransport, defaultUrl, type Protocol, PROTOCOLS } from "./transport.ts";
export { type LatencySummary, percentile, summarizeLatencies } from "./stats.ts";
export { type Ledger, openLedger, readLedger } from "./ledger.ts";
export { formatProgress, formatSummary } from "./report.ts";
export { type StandInIngest, startStandInIngest } from "./stand_in_ingest.ts";
export * from "./events/mod.ts";
