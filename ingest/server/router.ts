import type { ConnectRouter, Interceptor, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError, createConnectRouter } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { IngestService } from "@analytics/schema";
import { checkRequestSize } from "../limits/mod.ts";
import { registerReflection } from "../reflection/mod.ts";
import { declaredLength } from "./body_limit.ts";
import type { ServiceRegistration } from "./service_registration.ts";

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });
/** Decodes request JSON, refusing invalid UTF-8 with invalid_argument. */
const strictUtf8 = {
  decode(input?: Uint8Array): string {
    try {
      return fatalUtf8.decode(input);
    } catch {
      throw new ConnectError("the request's JSON is not valid UTF-8", Code.InvalidArgument);
    }
  },
};

/** Options of `createIngestRouter`. */
export interface IngestRouterOptions {
  /** The implementation of analytics.v1.IngestService (Track, TrackStream). */
  ingestService: ServiceImpl<typeof IngestService>;
  /** Largest request body and largest single message, in bytes (INGEST_MAX_REQUEST_BYTES). */
  maxRequestBytes: number;
  /** Aborted when the server stops waiting for calls in flight; handlers see it in ctx.signal. */
  shutdownSignal?: AbortSignal;
  /** Interceptors applied to every call. */
  interceptors?: Interceptor[];
  /** Further services on the same router (and in reflection), e.g. QueryService in dev. */
  services?: readonly ServiceRegistration[];
}

/**
 * Creates the Connect router of the ingest: IngestService plus gRPC server reflection (v1 and
 * v1alpha), gzip/brotli, and the size limit checked on Content-Length before the body is read.
 */
export function createIngestRouter(options: IngestRouterOptions): ConnectRouter {
  const router = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    readMaxBytes: options.maxRequestBytes,
    // connect-es passes jsonOptions on to its JSON serialization, whose text decoder is by default
    // lenient: invalid UTF-8 would become U+FFFD and be stored. Binary strings are already checked
    // by protobuf-es. (Not in the option's type; tested in client_fault_answers_test.ts.)
    jsonOptions: { textDecoder: strictUtf8 } as never,
    shutdownSignal: options.shutdownSignal,
    interceptors: options.interceptors,
    requestGate(context) {
      const length = declaredLength(context.requestHeader);
      if (length !== undefined) checkRequestSize(length, options.maxRequestBytes);
    },
  });
  router.service(IngestService, options.ingestService);
  const extra = options.services ?? [];
  for (const registration of extra) registration.register(router);
  registerReflection(router, [IngestService, ...extra.map((r) => r.service)]);
  return router;
}
