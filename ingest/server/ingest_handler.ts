import type { UniversalHandler } from "@connectrpc/connect/protocol";
import type { UniversalHandlerFn, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { requestTooLargeMessage } from "../limits/mod.ts";
import type { Logger } from "../observability/mod.ts";
import { clientAddressKey } from "./client_address.ts";
import { answerClientFaults } from "./client_fault_answers.ts";
import { declaredLength, limitBody, readBodyWithin } from "./body_limit.ts";
import { type CorsPolicy, isPreflight } from "./cors.ts";
import { jsonResponse, textResponse, universalFromFetchResponse } from "./plain_http.ts";
import { WholeBody } from "./whole_body.ts";

/** Handles `POST /analytics`: the original product's JSON event endpoint. */
export type LegacyAnalyticsHandler = (
  request: Request,
  connection: { remoteAddress?: string },
) => Promise<Response>;

/** Options of `createIngestHandler`. */
export interface IngestHandlerOptions {
  /** The RPC handlers of a Connect router (`router.handlers`). */
  rpcHandlers: readonly UniversalHandler[];
  /** Which browser origins may call. */
  cors: CorsPolicy;
  /** Largest request body, in bytes (INGEST_MAX_REQUEST_BYTES). */
  maxRequestBytes: number;
  /** Readiness of what the ingest needs (the event log), for `GET /ready`. */
  isReady: () => Promise<boolean>;
  /** Reason given by a 503 from `GET /ready`. Default: the event log cannot take events. */
  notReadyReason?: string;
  /** `POST /analytics`; when absent the path answers 404 saying it is not enabled. */
  legacyAnalytics?: LegacyAnalyticsHandler;
  /** The Prometheus text for `GET /metrics`; the path answers 404 when absent. */
  metrics?: () => string;
  /** Where failures of the plain endpoints are logged. */
  logger: Logger;
}

/**
 * The one request-routing concern of the ingest, shared by every listener (Deno.serve and
 * node:http2): CORS, RPCs (Connect, gRPC, gRPC-web), `/health`, `/ready`, `/analytics`, the
 * request size limit and 404 for everything else. It works on Connect's universal
 * request/response, which both listeners convert to and from.
 */
export function createIngestHandler(options: IngestHandlerOptions): UniversalHandlerFn {
  const rpcs = new Map(options.rpcHandlers.map((h) => [h.requestPath, h]));
  const { cors, maxRequestBytes, logger } = options;

  const route = async (request: UniversalServerRequest) => {
    const path = new URL(request.url).pathname;
    const rpc = rpcs.get(path);
    if (rpc) return answerClientFaults(rpc, withBodyLimit(request, rpc, maxRequestBytes));
    switch (path) {
      case "/health":
        if (!isRead(request.method)) return methodNotAllowed("GET, HEAD");
        return jsonResponse(200, { status: "ok" });
      case "/ready": {
        if (!isRead(request.method)) return methodNotAllowed("GET, HEAD");
        const ready = await options.isReady().catch((error) => {
          logger.warn("readiness check failed", { error });
          return false;
        });
        return ready ? jsonResponse(200, { status: "ready" }) : jsonResponse(503, {
          status: "not ready",
          reason: options.notReadyReason ?? "the event log cannot take events",
        });
      }
      case "/metrics":
        if (!isRead(request.method) || !options.metrics) break;
        return textResponse(
          200,
          options.metrics(),
          new Headers({ "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }),
        );
      case "/analytics":
        if (request.method !== "POST") return methodNotAllowed("POST");
        return await legacy(request);
    }
    return jsonResponse(404, { error: `no route for ${request.method} ${path}` });
  };

  const legacy = async (request: UniversalServerRequest) => {
    if (!options.legacyAnalytics) {
      return jsonResponse(404, {
        error: "POST /analytics is not enabled here (no legacy source is configured)",
      });
    }
    const declared = declaredLength(request.header);
    if (declared !== undefined && declared > maxRequestBytes) {
      return jsonResponse(413, { error: requestTooLargeMessage(declared, maxRequestBytes) });
    }
    const body = request.body instanceof WholeBody
      ? within(request.body.bytes, maxRequestBytes)
      : isByteStream(request.body)
      ? await readBodyWithin(request.body, maxRequestBytes)
      : new TextEncoder().encode(JSON.stringify(request.body));
    if (body === undefined) {
      return jsonResponse(413, { error: requestTooLargeMessage(undefined, maxRequestBytes) });
    }
    // No signal: the legacy handler answers from the whole body and never waits on the client.
    const fetchRequest = new Request(request.url, {
      method: "POST",
      headers: request.header,
      body: body.byteLength > 0 ? body as Uint8Array<ArrayBuffer> : null,
    });
    const remoteAddress = request.contextValues?.get(clientAddressKey);
    return await universalFromFetchResponse(
      await options.legacyAnalytics(fetchRequest, { remoteAddress }),
    );
  };

  return async (request) => {
    if (isPreflight(request.method, request.header)) {
      const answer = cors.preflight(request.header);
      return textResponse(answer.status, answer.body ?? "", answer.header);
    }
    const response = await route(request);
    // CORS only adds headers for a request naming its origin; without one the answer goes as is.
    if (response.header !== undefined && !request.header.has("Origin")) return response;
    const header = new Headers(response.header);
    cors.decorate(request.header, header);
    return { ...response, header };
  };
}

function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

function methodNotAllowed(allow: string) {
  return jsonResponse(405, { error: `method not allowed; use ${allow}` }, { Allow: allow });
}

function isByteStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === "object" && body !== null && Symbol.asyncIterator in body;
}

/**
 * Unary calls get the whole-body limit with our message (Connect checks Content-Length and each
 * message against readMaxBytes itself); streams are limited per message by readMaxBytes only,
 * since a long stream may carry any number of batches.
 */
function withBodyLimit(
  request: UniversalServerRequest,
  rpc: UniversalHandler,
  maxBytes: number,
): UniversalServerRequest {
  if (rpc.method.methodKind !== "unary" || !isByteStream(request.body)) return request;
  if (request.body instanceof WholeBody && request.body.bytes.byteLength <= maxBytes) {
    return request; // read whole by the listener, already within the limit
  }
  return { ...request, body: limitBody(request.body, maxBytes) };
}

/** The bytes when they are within `maxBytes`, else undefined. */
function within(bytes: Uint8Array, maxBytes: number): Uint8Array | undefined {
  return bytes.byteLength <= maxBytes ? bytes : undefined;
}
