/**
 * The server-side entry: gRPC over Node's HTTP/2 (Deno, Node), a transport chooser with the
 * ingest's default addresses, and the opener the server and agent clients share. Not for browser
 * bundles: this pulls `node:http2`.
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
export { openServerSideClient, type ServerSideOptions } from "./client/open_server_side_client.ts";
