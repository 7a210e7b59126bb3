/**
 * A transport a client sends on, and how to release its connections.
 *
 * @module
 */
import type { Interceptor, Transport } from "@connectrpc/connect";

/** A Connect transport and a function that closes its connections (a no-op for fetch). */
export interface ClientTransport {
  transport: Transport;
  /** Which protocol it speaks, for logs and docs. */
  protocol: "connect" | "grpc-web" | "grpc";
  close(): void;
}

/** Adds `authorization: Bearer <key>` to every call (gRPC metadata is a header too). */
export function writeKeyInterceptor(writeKey: string): Interceptor {
  const value = `Bearer ${writeKey}`;
  return (next) => (req) => {
    req.header.set("authorization", value);
    return next(req);
  };
}
