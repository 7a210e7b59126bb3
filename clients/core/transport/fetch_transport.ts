/**
 * Connect and gRPC-web over `fetch`: browsers, React Native, Deno, Node 18+, workers. No Node
 * module is imported, so this is what browser bundles use.
 *
 * @module
 */
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { type ClientTransport, writeKeyInterceptor } from "./client_transport.ts";

/** Options of createFetchTransport. */
export interface FetchTransportOptions {
  /** The ingest's HTTP address, e.g. https://ingest.example.com or http://127.0.0.1:3001. */
  baseUrl: string;
  /** The write key, sent as a bearer token. */
  writeKey: string;
  /** "connect" (default) or "grpc-web". */
  protocol?: "connect" | "grpc-web";
  /** JSON instead of binary Protobuf (Connect only; easier to read in devtools). Default false. */
  json?: boolean;
  /** A fetch to use instead of the global one. */
  fetch?: typeof globalThis.fetch;
}

/** A Connect (default) or gRPC-web transport over fetch, carrying the write key. */
export function createFetchTransport(options: FetchTransportOptions): ClientTransport {
  const common = {
    baseUrl: options.baseUrl,
    interceptors: [writeKeyInterceptor(options.writeKey)],
    fetch: options.fetch,
  };
  if (options.protocol === "grpc-web") {
    return { transport: createGrpcWebTransport(common), protocol: "grpc-web", close() {} };
  }
  const transport = createConnectTransport({ ...common, useBinaryFormat: !options.json });
  return { transport, protocol: "connect", close() {} };
}
