import * as http2 from "node:http2";
import type { Socket } from "node:net";
import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import type { UniversalHandlerFn } from "@connectrpc/connect/protocol";
import {
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { Logger } from "../observability/mod.ts";
import { clientAddressKey, normalizeAddress } from "./client_address.ts";
import type { RunningListener } from "./fetch_listener.ts";
import { logPath } from "./log_path.ts";

/** PEM certificate chain and private key for the TLS listener. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/** Options of `listenNode`. */
export interface NodeListenerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The shared routing concern (`createIngestHandler`). */
  handler: UniversalHandlerFn;
  /**
   * With TLS: `http2.createSecureServer({ allowHTTP1: true })`, so ALPN lets every protocol share
   * the port. Without: cleartext h2c only (node ignores allowHTTP1 there), for gRPC.
   */
  tls?: TlsMaterial;
  logger: Logger;
}

/** How long shutdown lets the last responses flush after the calls in flight have ended. */
const FLUSH_LINGER_MS = 250;

type NodeRequest = http2.Http2ServerRequest;
type NodeResponse = http2.Http2ServerResponse;

/**
 * Serves the ingest with `node:http2` and Connect's node adapter functions: h2c for gRPC in
 * cleartext, or HTTP/2 + HTTP/1.1 over TLS for everything.
 */
export function listenNode(options: NodeListenerOptions): Promise<RunningListener> {
  const { handler, logger } = options;
  const sessions = new Set<http2.ServerHttp2Session>();
  const http1Sockets = new Map<Socket, number>(); // socket → requests in flight
  let stopping = false;
  let inFlight = 0;
  let lastResponseEnded = 0;
  let drained: (() => void) | undefined;

  const closeIfIdle = (socket: Socket) => {
    if (stopping && (http1Sockets.get(socket) ?? 0) === 0) socket.destroy();
  };

  const onRequest = (req: NodeRequest, res: NodeResponse) => {
    const http1 = req.httpVersionMajor === 1;
    const socket = req.socket as unknown as Socket;
    if (stopping) return refuseWhileStopping(req, res);
    inFlight++;
    res.once("close", () => {
      lastResponseEnded = Date.now();
      if (--inFlight === 0) drained?.();
    });
    if (http1) {
      http1Sockets.set(socket, (http1Sockets.get(socket) ?? 0) + 1);
      if (stopping) res.setHeader("Connection", "close");
      res.once("close", () => {
        http1Sockets.set(socket, (http1Sockets.get(socket) ?? 1) - 1);
        closeIfIdle(socket);
      });
    }
    let universal;
    try {
      universal = universalRequestFromNodeRequest(
        req,
        res,
        undefined,
        createContextValues().set(clientAddressKey, normalizeAddress(socket.remoteAddress)),
      );
    } catch (error) {
      logger.warn("unreadable request", { error });
      res.writeHead(400);
      res.end();
      return;
    }
    handler(universal)
      .then((answer) => universalResponseToNodeResponse(answer, res))
      .catch((reason) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        logger.error("request failed", { error: reason, path: logPath(req.url) });
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        } else {
          res.stream?.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        }
      });
  };

  const server = options.tls
    ? http2.createSecureServer({ ...options.tls, allowHTTP1: true }, onRequest)
    : http2.createServer(onRequest);
  server.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const trackSocket = (socket: Socket) => {
    http1Sockets.set(socket, 0);
    socket.once("close", () => http1Sockets.delete(socket));
  };
  if (options.tls) {
    server.on("secureConnection", (socket: Socket & { alpnProtocol?: string | false }) => {
      if (socket.alpnProtocol !== "h2") trackSocket(socket);
    });
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      server.on("error", (error) => logger.error("listener error", { error }));
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      resolve({
        port,
        async shutdown(deadline) {
          // Deno's node:http2 cuts streams in flight on server.close() and session.close(), so
          // calls are drained first (new ones are refused meanwhile), then everything is closed.
          stopping = true;
          for (const socket of http1Sockets.keys()) closeIfIdle(socket);
          if (inFlight > 0) {
            await Promise.race([new Promise<void>((done) => drained = done), aborted(deadline)]);
          }
          // A response's "close" comes before its last frames leave the session; closing the
          // session at once would cut them (measured: the client saw "Premature close").
          const linger = lastResponseEnded + FLUSH_LINGER_MS - Date.now();
          if (linger > 0) await Promise.race([delay(linger), aborted(deadline)]);
          const closed = new Promise<void>((done) => server.close(() => done()));
          for (const session of sessions) session.close();
          for (const socket of http1Sockets.keys()) socket.end();
          await Promise.race([closed, aborted(deadline)]);
          for (const session of sessions) session.destroy();
          for (const socket of http1Sockets.keys()) socket.destroy();
          await closed;
        },
      });
    });
  });
}

/** Answers a call that arrives during shutdown: gRPC UNAVAILABLE, or 503 for the others. */
function refuseWhileStopping(req: NodeRequest, res: NodeResponse): void {
  const message = "the ingest is shutting down; retry";
  if ((req.headers["content-type"] ?? "").startsWith("application/grpc")) {
    res.writeHead(200, {
      "content-type": req.headers["content-type"],
      "grpc-status": "14",
      "grpc-message": encodeURIComponent(message),
    });
  } else {
    res.writeHead(503, { "content-type": "application/json", connection: "close" });
    res.write(JSON.stringify({ code: "unavailable", message }));
  }
  res.end();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true })
  );
}
