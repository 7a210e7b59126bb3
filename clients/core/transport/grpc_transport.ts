/**
 * gRPC over HTTP/2 for servers and agents (Deno, Node), through `@connectrpc/connect-node`.
 * A separate entry point (`@analytics/client-core/grpc`) so browser bundles never pull
 * `node:http2`.
 *
 * Under Deno 2.9 a `node:http2` client can abort the process when the server's GOAWAY meets a
 * session being closed (docs/listeners.md): `close()` before the server goes away when you can.
 *
 * @module
 */
import {
  createGrpcTransport as createNodeGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import { type ClientTransport, writeKeyInterceptor } from "./client_transport.ts";

/** Options of createGrpcTransport. */
export interface GrpcTransportOptions {
  /** The ingest's gRPC address, e.g. http://127.0.0.1:50051 (h2c) or an https URL. */
  baseUrl: string;
  /** The write key, sent as a bearer token in the metadata. */
  writeKey: string;
  /** Close the connection after this long without calls. Default 15 s. */
  idleConnectionTimeoutMs?: number;
}

/** A gRPC transport on one HTTP/2 session manager, and `close()` that ends its connection. */
export function createGrpcTransport(options: GrpcTransportOptions): ClientTransport {
  const sessionManager = new Http2SessionManager(options.baseUrl, {
    idleConnectionTimeoutMs: options.idleConnectionTimeoutMs ?? 15_000,
  });
  const transport = createNodeGrpcTransport({
    baseUrl: options.baseUrl,
    interceptors: [writeKeyInterceptor(options.writeKey)],
    sessionManager,
  });
  return { transport, protocol: "grpc", close: () => sessionManager.abort() };
}
