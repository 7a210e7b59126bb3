import { createContextValues } from "@connectrpc/connect";
import {
  type UniversalHandlerFn,
  type UniversalServerRequest,
  type UniversalServerResponse,
  universalServerResponseToFetch,
} from "@connectrpc/connect/protocol";
import type { Logger } from "../observability/mod.ts";
import { clientAddressKey, normalizeAddress } from "./client_address.ts";
import { declaredLength } from "./body_limit.ts";
import { drainUnreadBody } from "./drain_unread_body.ts";
import { readAllBytes } from "./read_all_bytes.ts";
import { WholeBody } from "./whole_body.ts";

/** gRPC status UNIMPLEMENTED, sent in a trailers-only answer to gRPC on this listener. */
const GRPC_UNIMPLEMENTED = "12";

/**
 * The reason a call's signal aborts with once its response was sent. Made once: `abort()`
 * without a reason builds a DOMException (with a stack trace) on every call.
 */
const CALL_OVER = new DOMException("the call is over: its response was sent", "AbortError");

/** A listener that is accepting connections. */
export interface RunningListener {
  /** The port it is bound to (the real one when 0 was asked for). */
  readonly port: number;
  /** Stops accepting, lets calls in flight finish until `deadline`, then cuts the rest. */
  shutdown(deadline: AbortSignal): Promise<void>;
}

/** Options of `listenFetch`. */
export interface FetchListenerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The shared routing concern (`createIngestHandler`). */
  handler: UniversalHandlerFn;
  /** Where to send gRPC (non-web) clients, named in the error they get. */
  grpcHint: string;
  /** Bodies declared larger than this are refused unread (INGEST_MAX_REQUEST_BYTES). */
  maxRequestBytes?: number;
  logger: Logger;
}

/**
 * Serves the ingest with `Deno.serve`: HTTP/1.1 and h2c (prior knowledge), for Connect, gRPC-web
 * and the plain endpoints. gRPC proper needs HTTP trailers, which Deno.serve cannot send; a gRPC
 * client reaching this port gets a trailers-only UNIMPLEMENTED naming the gRPC port instead of a
 * confusing protocol error.
 */
export function listenFetch(options: FetchListenerOptions): Promise<RunningListener> {
  const { handler, logger } = options;
  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: options.hostname,
        port: options.port,
        onListen: () => {},
        onError(error) {
          logger.error("request failed", { error });
          return new Response("internal error\n", { status: 500 });
        },
      }, async (request, info) => {
        if (isGrpc(request.headers)) {
          await drainUnreadBody(request);
          return grpcNotHere(options.grpcHint);
        }
        const maxRequestBytes = options.maxRequestBytes ?? Infinity;
        const declared = declaredLength(request.headers);
        const universal = await toUniversal(request, info, declared, maxRequestBytes);
        const response = await toFetchResponse(await handler(universal));
        // Only a call that is over: an error status, or a body declared over the limit (refused
        // unread; gRPC-web says so in a 200 whose body carries the status). A streaming answer may
        // still be about to read its request.
        if (response.status >= 400 || (declared ?? 0) > maxRequestBytes) {
          await drainUnreadBody(request);
        }
        return response;
      });
      resolve({
        port: server.addr.port,
        async shutdown(deadline) {
          const done = server.shutdown();
          await Promise.race([done, aborted(deadline)]);
          // Past the deadline Deno.serve has no "force" switch; its shutdown still resolves when
          // the remaining responses end, which the aborted handler signals make happen.
          await done;
        },
      });
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Converts a fetch request to Connect's universal form. The call's signal follows
 * `info.completed` rather than `request.signal`, whose legacy Deno behaviour (aborting after
 * every successful response) prints a deprecation warning.
 */
async function toUniversal(
  request: Request,
  info: Deno.ServeHandlerInfo,
  declared: number | undefined,
  maxRequestBytes: number,
): Promise<UniversalServerRequest> {
  const done = new AbortController();
  info.completed.then(() => done.abort(CALL_OVER), (reason) => done.abort(reason));
  return {
    httpVersion: "",
    method: request.method,
    url: request.url,
    header: request.headers,
    body: await wholeBodyWhenSized(request, declared, maxRequestBytes) ?? request.body ??
      emptyBody(),
    signal: done.signal,
    contextValues: createContextValues().set(
      clientAddressKey,
      normalizeAddress((info.remoteAddr as Deno.NetAddr).hostname),
    ),
  };
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}

/**
 * A body with a Content-Length within the limit (what browsers and most clients send for one
 * call) read in one piece: cheaper than Connect pulling it through a stream reader chunk by chunk.
 * Bodies without a length (streams) or over the limit (refused unread) stay streams.
 */
async function wholeBodyWhenSized(
  request: Request,
  declared: number | undefined,
  maxRequestBytes: number,
): Promise<WholeBody | undefined> {
  if (request.body === null) return undefined;
  if (declared === undefined || declared === 0 || declared > maxRequestBytes) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await request.bytes();
  } catch {
    // The client went away mid-body: let the handler meet the broken stream as before.
    return undefined;
  }
  return new WholeBody(bytes);
}

/**
 * The fetch response of a universal one. Answers of one message (unary Connect, the plain
 * endpoints) are collected and sent as bytes, which Deno writes without a stream; streaming
 * protocols' answers (Connect streaming, gRPC-web) stay streams.
 */
async function toFetchResponse(response: UniversalServerResponse): Promise<Response> {
  const type = response.header?.get("Content-Type") ?? "";
  if (response.body === undefined || /^application\/(connect|grpc-web)/.test(type)) {
    return universalServerResponseToFetch(response);
  }
  return new Response(await readAllBytes(response.body), {
    status: response.status,
    headers: response.header,
  });
}

function isGrpc(header: Headers): boolean {
  const type = header.get("Content-Type") ?? "";
  return /^application\/grpc(\+|;|$)/.test(type);
}

function grpcNotHere(hint: string): Response {
  return new Response(null, {
    status: 200,
    headers: {
      "Content-Type": "application/grpc",
      "grpc-status": GRPC_UNIMPLEMENTED,
      "grpc-message": encodeURIComponent(
        `gRPC (HTTP/2 with trailers) is not served on this port; ${hint}`,
      ),
    },
  });
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
