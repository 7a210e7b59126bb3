/**
 * The server-side transports: gRPC over Node's HTTP/2 (Deno, Node) and a chooser with the
 * ingest's default addresses. Not for browser bundles: this pulls `node:http2`.
 *
 * @module
 */
export { createGrpcTransport, type GrpcTransportOptions } from "./transport/grpc_transport.ts";
export {
  createServerTransport,
  defaultIngestUrl,
  type ServerProtocol,
  type ServerTransportOptions,
} from "./transport/server_transport.ts";
