/**
 * The transport of a server-side client (Deno, Node): gRPC by default, or Connect or gRPC-web
 * over fetch, at the ingest's default address for the protocol.
 *
 * @module
 */
import type { ClientTransport } from "./client_transport.ts";
import { createFetchTransport } from "./fetch_transport.ts";
import { createGrpcTransport } from "./grpc_transport.ts";

/** Protocols a server-side client can speak. */
export type ServerProtocol = "grpc" | "connect" | "grpc-web";

/** Options of createServerTransport. */
export interface ServerTransportOptions {
  writeKey: string;
  /** Default "grpc". */
  protocol?: ServerProtocol;
  /** Default http://127.0.0.1:50051 for gRPC, http://127.0.0.1:3001 for the others. */
  baseUrl?: string;
}

/** The ingest's local default address for a protocol. */
export function defaultIngestUrl(protocol: ServerProtocol): string {
  return protocol === "grpc" ? "http://127.0.0.1:50051" : "http://127.0.0.1:3001";
}

/** A gRPC (default), Connect or gRPC-web transport for a server or agent process. */
export function createServerTransport(options: ServerTransportOptions): ClientTransport {
  const protocol = options.protocol ?? "grpc";
  const baseUrl = options.baseUrl ?? defaultIngestUrl(protocol);
  if (protocol === "grpc") return createGrpcTransport({ baseUrl, writeKey: options.writeKey });
  return createFetchTransport({ baseUrl, writeKey: options.writeKey, protocol });
}
