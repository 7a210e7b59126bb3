import type { WriteKeyStore } from "../auth/write_key_store.ts";
import type { IngestConfig } from "../config.ts";
import type { InFlightGate } from "../limits/in_flight_gate.ts";
import type { RateLimiter } from "../limits/rate_limiter.ts";
import type { Tracer } from "@opentelemetry/api";
import type { Logger } from "../observability/logger.ts";
import type { IngestMetrics } from "./ingest_metrics.ts";
import type { Publisher } from "../stream/publisher.ts";
import type { Counter } from "../observability/metrics_registry.ts";

/** What the ingest's handlers (Track, TrackStream, POST /analytics) need, passed in. */
export interface IngestDeps {
  /** The event log: Kafka or the embedded log. */
  publisher: Publisher;
  /** The configured write keys. */
  keys: WriteKeyStore;
  /** Per-key rate limits. */
  limiter: RateLimiter;
  /**
   * The process's bound on events awaiting the log, shared by every handler; by default each
   * ingester makes its own from `config.limits.maxInFlightEvents`.
   */
  inFlight?: InFlightGate;
  /** Limits, the legacy source and the IP policy are read from here. */
  config: IngestConfig;
  /** Topic to publish to; EVENTS_TOPIC by default. */
  topic?: string;
  /** Where publish failures are logged; JSON lines on standard error by default. */
  log?: Logger;
  /** Counters and histograms of the pipeline; none when absent. */
  metrics?: IngestMetrics;
  /** Tracer for the publish span; the global `@opentelemetry/api` tracer by default. */
  tracer?: Tracer;
  /** `messaging.system` of the publish span: "kafka" or "local" (the embedded log). */
  logSystem?: "kafka" | "local";
  /**
   * The suppression list (docs/privacy.md): events carrying a suppressed user or anonymous id are
   * rejected, counted in `suppressed` by channel. None: nothing is suppressed.
   */
  suppression?: {
    list: { fieldOf(event: { userId: string; anonymousId: string }): string | undefined };
    suppressed?: Counter;
  };
  /** Clock in milliseconds since the epoch, for tests; Date.now by default. */
  now?: () => number;
}
