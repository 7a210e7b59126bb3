/**
 * The client transports the load generator speaks: gRPC over h2c, Connect and gRPC-web over
 * HTTP/1.1 or HTTP/2, each with the write key as a bearer token.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import type { Interceptor, Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";

/** Wire protocols the load generator speaks. */
export type Protocol = "grpc" | "connect" | "grpc-web";

/** Every protocol, for option parsing. */
export const PROTOCOLS: readonly Protocol[] = ["grpc", "connect", "grpc-web"];

/** Options of createLoadTransport. */
export interface LoadTransportOptions {
  protocol: Protocol;
  /** Base URL of the ingest, e.g. http://127.0.0.1:3001. */
  url: string;
  /** HTTP version for connect and grpc-web (gRPC is always HTTP/2). Default "1.1". */
  httpVersion?: "1.1" | "2";
  /** Sent as `authorization: Bearer <key>` when set. */
  writeKey?: string;
  /** Use the JSON codec instead of binary protobuf (connect and grpc-web). */
  json?: boolean;
}

/** A transport and a function that closes its connections. */
export interface LoadTransport {
  transport: Transport;
  close(): void;
}

/** The default ingest URL of a protocol: 50051 for gRPC, 3001 for the others. */
export function defaultUrl(protocol: Protocol): string {
  return protocol === "grpc" ? "http://127.0.0.1:50051" : "http://127.0.0.1:3001";
}

/** Creates the transport for a protocol, with its own connections so closing it ends them. */
export function createLoadTransport(options: LoadTransportOptions): LoadTransport {
  const interceptors: Interceptor[] = [];
  if (options.writeKey) {
    const value = `Bearer ${options.writeKey}`;
    interceptors.push((next) => (req) => {
      req.header.set("authorization", value);
      return next(req);
    });
  }
  const baseUrl = options.url;
  const useBinaryFormat = !options.json;
  const httpVersion = options.protocol === "grpc" ? "2" : options.httpVersion ?? "1.1";
  if (httpVersion === "2") {
    const sessionManager = new Http2SessionManager(baseUrl);
    const common = { baseUrl, interceptors, useBinaryFormat, sessionManager };
    const transport = options.protocol === "grpc"
      ? createGrpcTransport(common)
      : options.protocol === "connect"
      ? createConnectTransport({ ...common, httpVersion: "2" })
      : createGrpcWebTransport({ ...common, httpVersion: "2" });
    return { transport, close: () => sessionManager.abort() };
  }
  const agent = new (baseUrl.startsWith("https:") ? https.Agent : http.Agent)({ keepAlive: true });
  const common = {
    baseUrl,
    interceptors,
    useBinaryFormat,
    httpVersion: "1.1" as const,
    nodeOptions: { agent },
  };
  const transport = options.protocol === "connect"
    ? createConnectTransport(common)
    : createGrpcWebTransport(common);
  return { transport, close: () => agent.destroy() };
}
