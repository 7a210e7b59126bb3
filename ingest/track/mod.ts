/**
 * The ingest's RPCs: `analytics.v1.IngestService` (Track, TrackStream) over the one pipeline
 * that POST /analytics shares.
 *
 * @module
 */
export { createIngestService } from "./ingest_service.ts";
export type { IngestDeps } from "./ingest_deps.ts";
export {
  type BatchIngester,
  type BatchInput,
  type BatchResult,
  createBatchIngester,
  NOT_STORED_REASON,
} from "./ingest_batch.ts";
export { throwIfNothingStored } from "./call_outcome.ts";
export { traceparentFor } from "./trace_context.ts";
export { createIngestMetrics, type IngestMetrics, rejectionReason } from "./ingest_metrics.ts";
