import { ConnectError } from "@connectrpc/connect";
import { type Event, Outcome } from "@analytics/schema";
import { extractWriteKey } from "../auth/write_key_store.ts";
import type { WriteKeyRecord } from "../auth/write_key.ts";
import { requestPrivacySignals } from "../consent/mod.ts";
import { receivedAtFrom } from "../enrich/event_time.ts";
import { batchTooLargeMessage, requestTooLargeMessage } from "../limits/request_limits.ts";
import { type BatchIngester, createBatchIngester } from "../track/ingest_batch.ts";
import type { IngestDeps } from "../track/ingest_deps.ts";
import { traceparentFor } from "../track/trace_context.ts";
import { legacyEventFromJson } from "./legacy_event.ts";

/** What the listener knows about the connection a request came in on. */
export interface ConnectionInfo {
  /** Peer address of the connection (no port). */
  remoteAddress?: string;
}

/** One event's answer inside a batch answer. */
interface LegacyResult {
  index: number;
  success: boolean;
  event_id?: string;
  error?: string;
  field?: string;
}

const ingesters = new WeakMap<IngestDeps, BatchIngester>();
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * `POST /analytics`: the original product's JSON API on the shared pipeline. One JSON event
 * answers `200 {"success": true, "event_id"}`, `400 {"error": "Missing required field: x"}`,
 * `429` over the rate limit or `503` when it could not be stored; a JSON array answers per event.
 * Events belong to INGEST_LEGACY_SOURCE, or to the write key when one is sent; with no legacy
 * source configured the endpoint answers 404.
 */
export function handleLegacyAnalytics(
  request: Request,
  deps: IngestDeps,
  connection: ConnectionInfo = {},
): Promise<Response> {
  let ingest = ingesters.get(deps);
  if (ingest === undefined) {
    ingest = createBatchIngester(deps);
    ingesters.set(deps, ingest);
  }
  return handle(request, deps, ingest, connection);
}

/** `handleLegacyAnalytics` bound to `deps`, for a router. */
export function createLegacyAnalyticsHandler(
  deps: IngestDeps,
): (request: Request, connection?: ConnectionInfo) => Promise<Response> {
  return (request, connection) => handleLegacyAnalytics(request, deps, connection);
}

async function handle(
  request: Request,
  deps: IngestDeps,
  ingest: BatchIngester,
  connection: ConnectionInfo,
): Promise<Response> {
  const { legacySource, limits } = deps.config;
  if (legacySource === "") return json(404, { error: "Not found" });
  if (request.method !== "POST") {
    return json(405, { error: "Method not allowed: use POST" }, { allow: "POST" });
  }
  const sender = authenticate(request, deps, legacySource);
  if (sender instanceof Response) return sender;

  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limits.maxRequestBytes) {
    return json(413, { error: requestTooLargeMessage(declared, limits.maxRequestBytes) });
  }
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > limits.maxRequestBytes) {
    return json(413, { error: requestTooLargeMessage(body.byteLength, limits.maxRequestBytes) });
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    // JSON is UTF-8 (RFC 8259); replacing bad bytes would store text the client never sent.
    return json(400, { error: "Invalid JSON body: not valid UTF-8" });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return json(400, { error: "Invalid JSON body" });
  }
  const isBatch = Array.isArray(parsed);
  const items: unknown[] = isBatch ? parsed as unknown[] : [parsed];
  if (items.length === 0) return json(400, { error: "events: a batch needs at least 1 event" });
  if (items.length > limits.maxBatchEvents) {
    return json(400, { error: batchTooLargeMessage(items.length, limits.maxBatchEvents) });
  }

  const now = (deps.now ?? Date.now)();
  const receivedAt = receivedAtFrom(now);
  const userAgent = request.headers.get("user-agent") ?? undefined;
  const converted = items.map((item) => legacyEventFromJson(item, { receivedAt, userAgent }));
  const events: Event[] = [];
  const positions: number[] = [];
  converted.forEach((c, i) => {
    if ("event" in c) {
      events.push(c.event);
      positions.push(i);
    }
  });

  const results: LegacyResult[] = converted.map((c, index) =>
    "event" in c
      ? { index, success: false, event_id: c.event.eventId }
      : { index, success: false, error: c.error, ...(c.field ? { field: c.field } : {}) }
  );
  let publishFailed = 0, rateLimited = 0;
  if (events.length > 0) {
    const batch = await ingest({
      events,
      firstIndex: 0,
      sender,
      facts: { receivedAt, remoteAddress: connection.remoteAddress, userAgent },
      traceparent: traceparentFor(request.headers),
      signals: requestPrivacySignals(request.headers),
    });
    publishFailed = batch.publishFailed;
    rateLimited = batch.rateLimited;
    batch.results.forEach((r, j) => {
      const result = results[positions[j]];
      if (r.outcome === Outcome.ACCEPTED) {
        result.success = true;
      } else {
        // The pipeline numbers the events it saw; name the field as the JSON has it.
        const field = r.field.replace(/^events\[\d+\]\.?/, "");
        result.error = r.outcome === Outcome.REJECTED
          ? `Invalid field ${field || "event"}: ${r.reason}`
          : r.reason;
        if (field) result.field = field;
      }
    });
  }

  const accepted = results.filter((r) => r.success).length;
  const status = accepted > 0 ? 200 : publishFailed > 0 ? 503 : rateLimited > 0 ? 429 : 400;
  const headers: Record<string, string> = status === 429 ? { "retry-after": "1" } : {};
  if (!isBatch) {
    const [only] = results;
    if (only.success) return json(200, { success: true, event_id: only.event_id });
    const error = status === 503 ? "Event could not be stored; retry later" : only.error;
    return json(status, { error, ...(only.field ? { field: only.field } : {}) }, headers);
  }
  return json(status, {
    success: accepted === results.length,
    accepted,
    rejected: results.length - accepted - publishFailed - rateLimited,
    not_stored: publishFailed + rateLimited,
    results,
  }, headers);
}

/** The sender: the write key's record when a key is sent, else the legacy source. */
function authenticate(
  request: Request,
  deps: IngestDeps,
  legacySource: string,
): WriteKeyRecord | Response {
  let key: string | undefined;
  try {
    key = extractWriteKey(request.headers, request.url);
  } catch (error) {
    return json(401, { error: error instanceof ConnectError ? error.rawMessage : String(error) });
  }
  if (key === undefined) {
    return { keyHash: `legacy:${legacySource}`, source: legacySource, channels: "all" };
  }
  try {
    return deps.keys.verify(key);
  } catch (error) {
    return json(401, { error: error instanceof ConnectError ? error.rawMessage : String(error) });
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
