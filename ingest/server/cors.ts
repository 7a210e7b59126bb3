import { cors as connectCors } from "@connectrpc/connect";

/** Request headers browsers may send: Connect's and gRPC-web's, plus our write key header. */
export const CORS_ALLOWED_HEADERS = [...connectCors.allowedHeaders, "Authorization"];
/** Methods browsers may use: POST for every RPC and /analytics, GET for Connect GET. */
export const CORS_ALLOWED_METHODS = [...connectCors.allowedMethods, "OPTIONS"];
/** Response headers scripts may read: gRPC-web puts the call's status in grpc-status/-message. */
export const CORS_EXPOSED_HEADERS = connectCors.exposedHeaders;
/** How long browsers may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 7200;

/** Which browser origins may call the ingest. */
export interface CorsPolicy {
  /** True when `origin` is on the allowlist. */
  allows(origin: string): boolean;
  /**
   * Answers a preflight request (OPTIONS with Access-Control-Request-Method): 204 with the
   * allowed methods and headers for an allowed origin, 403 naming the origin otherwise.
   */
  preflight(header: Headers): { status: number; header: Headers; body?: string };
  /** Adds Access-Control-Allow-Origin and -Expose-Headers for an allowed request origin. */
  decorate(requestHeader: Headers, responseHeader: Headers): void;
}

/** True when a request is a CORS preflight. */
export function isPreflight(method: string, header: Headers): boolean {
  return method === "OPTIONS" && header.has("Origin") &&
    header.has("Access-Control-Request-Method");
}

/**
 * Creates a CORS policy from an allowlist of exact origins (`https://shop.example`), where `*`
 * allows every origin. Credentials (cookies) are never allowed: write keys travel in the
 * Authorization header or the query string.
 */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const any = allowedOrigins.includes("*");
  const exact = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, "")));
  const allows = (origin: string) => any || exact.has(origin);
  return {
    allows,
    preflight(header) {
      const origin = header.get("Origin") ?? "";
      if (!allows(origin)) {
        return {
          status: 403,
          header: new Headers({ "Content-Type": "text/plain; charset=utf-8", Vary: "Origin" }),
          body: `origin ${origin} is not allowed (INGEST_CORS_ORIGINS)\n`,
        };
      }
      return {
        status: 204,
        header: new Headers({
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Methods": CORS_ALLOWED_METHODS.join(", "),
          "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS.join(", "),
          "Access-Control-Max-Age": String(CORS_MAX_AGE_SECONDS),
          Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        }),
      };
    },
    decorate(requestHeader, responseHeader) {
      const origin = requestHeader.get("Origin");
      if (origin === null) return;
      responseHeader.append("Vary", "Origin");
      if (!allows(origin)) return;
      responseHeader.set("Access-Control-Allow-Origin", origin);
      responseHeader.set("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS.join(", "));
    },
  };
}
